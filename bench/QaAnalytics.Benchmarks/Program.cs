using QaAnalytics.Benchmarks;

return args.FirstOrDefault() switch
{
    "service" => await ServiceBenchmark.RunAsync(args),
    _ => await IngestBenchmark.RunAsync(args),
};
