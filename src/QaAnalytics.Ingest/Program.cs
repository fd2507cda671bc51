using QaAnalytics.Ingest.Cli;

return await IngestCli.RunAsync(args);
