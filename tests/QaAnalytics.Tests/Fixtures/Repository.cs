namespace QaAnalytics.Tests.Fixtures;

/// <summary>The repository the tests run from (for files tests read as they are: README, powerbi/, tests/e2e/).</summary>
internal static class Repository
{
    public static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "QaAnalytics.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"no QaAnalytics.sln above {AppContext.BaseDirectory}");
    }
}
