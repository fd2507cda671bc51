using QaAnalytics.Benchmarks;

return args.FirstOrDefault() switch
{
    "service" => await ServiceBenchmark.RunAsync(args),
    "kill" => await KillCommand.RunAsync(args),
    _ => await IngestBenchmark.RunAsync(args),
};
