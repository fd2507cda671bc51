using QaAnalytics.Benchmarks;

return await IngestBenchmark.RunAsync(args);
