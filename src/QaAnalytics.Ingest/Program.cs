using QaAnalytics.Ingest.Cli;

return await IngestCli.Build().Parse(args).InvokeAsync();
