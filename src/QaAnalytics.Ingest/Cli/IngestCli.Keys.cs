using System.CommandLine;
using QaAnalytics.Models.Access;
using Spectre.Console;

namespace QaAnalytics.Ingest.Cli;

public static partial class IngestCli
{
    private static readonly Option<string?> KeysFileOption = new("--keys")
    {
        Description = "API keys file (default: <db>.apikeys.json, beside the database; the service's QaAnalytics:ApiKeysPath)",
    };

    /// <summary><c>keys issue|list|revoke</c>: API keys for BI tools (Power BI's Web API key), stored hashed beside the database.</summary>
    private static Command KeysCommand()
    {
        var role = new Option<string>("--role") { Description = $"The key's role: {string.Join(", ", ApiKeyStore.RoleNames)}", Required = true };
        var laCode = new Option<string?>("--la-code") { Description = "The council the key is limited to (every role but regional_partner)" };
        var serviceArea = new Option<string?>("--service-area") { Description = "A service_manager key's service area" };
        var teamId = new Option<string?>("--team-id") { Description = "A team_manager key's team" };
        var name = new Option<string>("--name") { Description = "What the key is for, e.g. \"Power BI: QA board\"", DefaultValueFactory = _ => "" };
        var issue = new Command("issue", "Issue a key for a role and scope; the key is printed once and stored only as a hash")
        {
            DbOption, KeysFileOption, role, laCode, serviceArea, teamId, name,
        };
        issue.SetAction(parse =>
        {
            var store = KeyStore(parse.GetValue(DbOption)!, parse.GetValue(KeysFileOption));
            try
            {
                var (record, key) = store.Issue(parse.GetValue(role)!, parse.GetValue(laCode), parse.GetValue(serviceArea), parse.GetValue(teamId),
                    parse.GetValue(name)!, DateTimeOffset.UtcNow);
                Console.Error.WriteLine($"Issued key {record.Id} ({Scope(record)}) in {store.Path}. Copy it now: it is not shown again.");
                Console.WriteLine(key);
                return ExitCodes.Ok;
            }
            catch (ArgumentException ex)
            {
                return Fail(ExitCodes.Usage, ex.Message);
            }
        });

        var list = new Command("list", "List the keys issued (id, role, scope, name, issued, revoked); never the keys themselves") { DbOption, KeysFileOption };
        list.SetAction(parse =>
        {
            var store = KeyStore(parse.GetValue(DbOption)!, parse.GetValue(KeysFileOption));
            var table = new Table().AddColumns("id", "role and scope", "name", "issued", "revoked");
            foreach (var k in store.List())
            {
                table.AddRow(Markup.Escape(k.Id), Markup.Escape(Scope(k)), Markup.Escape(k.Name), k.IssuedAt.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture),
                    k.RevokedAt?.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture) ?? "");
            }
            AnsiConsole.Write(table);
            return ExitCodes.Ok;
        });

        var id = new Argument<string>("id") { Description = "The key's id (qa-ingest keys list shows them)" };
        var revoke = new Command("revoke", "Revoke a key: refused from the next call on") { DbOption, KeysFileOption, id };
        revoke.SetAction(parse =>
        {
            var store = KeyStore(parse.GetValue(DbOption)!, parse.GetValue(KeysFileOption));
            var keyId = parse.GetValue(id)!;
            if (!store.Revoke(keyId, DateTimeOffset.UtcNow)) return Fail(ExitCodes.InputRefused, $"There is no key {keyId} in {store.Path}; qa-ingest keys list shows them.");
            Console.Error.WriteLine($"Revoked key {keyId}.");
            return ExitCodes.Ok;
        });

        return new Command("keys", "API keys for BI tools: issue, list, revoke") { issue, list, revoke };
    }

    private static ApiKeyStore KeyStore(string db, string? keysFile) => new(keysFile ?? ApiKeyStore.BesideDatabase(db));

    private static string Scope(ApiKey key) => string.Join(" ", new[] { key.Role, key.LaCode, key.ServiceArea, key.TeamId }.Where(v => v is not null));
}
