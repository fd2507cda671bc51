using QaAnalytics.Benchmarks;

return args.FirstOrDefault() switch
{
    "service" => await ServiceBenchmark.RunAsync(args),
    "http" => await HttpBenchmark.RunAsync(args),
    "dashboard" => await DashboardBenchmark.RunAsync(args),
    "kill" => await KillCommand.RunAsync(args),
    "model" => await ModelBenchmark.RunAsync(args),
    "fuzz" => await FuzzCommand.RunAsync(args),
    "soak" => await SoakCommand.RunAsync(args),
    "clients" => await ConcurrentClients.CommandAsync(args),
    "hostile" => await HostileBenchmark.RunAsync(args),
    _ => await IngestBenchmark.RunAsync(args),
};
