using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace QaAnalytics.Testing;

/// <summary>
/// Built .NET programs as child processes (qa-service, qa-ingest): started with <c>dotnet</c>, their
/// output collected for error messages. Shared by the benchmarks and, linked, by the tests.
/// </summary>
public static class ServiceProcess
{
    /// <summary>Starts <c>dotnet <paramref name="dll"/> args</c> in <paramref name="workingDirectory"/> (default the dll's folder); <paramref name="log"/> collects its output lines.</summary>
    public static Process StartDotnet(string dll, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment, out ConcurrentQueue<string> log, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory ?? Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add(dll);
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) info.Environment[name] = value;
        var lines = new ConcurrentQueue<string>();
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lines.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lines.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        log = lines;
        return process;
    }

    /// <summary>
    /// Starts qa-service with gRPC on 127.0.0.1:<paramref name="port"/> and HTTP/1.1 (<c>/api/v1</c>,
    /// <c>/odata</c>) on 127.0.0.1:<paramref name="httpPort"/> (a free port when not given: never the
    /// default 5081, which parallel runs would share), serving <paramref name="db"/>, small-number
    /// suppression off, Development authentication; <paramref name="settings"/> (environment
    /// variables such as <c>QaAnalytics__Auth__Mode</c>) override those.
    /// </summary>
    public static Process Start(string serviceDll, string db, int port, out ConcurrentQueue<string> log,
        int? httpPort = null, IReadOnlyDictionary<string, string>? settings = null)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["QaAnalytics__DatabasePath"] = db,
            ["QaAnalytics__Port"] = port.ToString(CultureInfo.InvariantCulture),
            ["QaAnalytics__HttpPort"] = (httpPort ?? FreeLoopbackPort()).ToString(CultureInfo.InvariantCulture),
            ["QaAnalytics__SuppressBelowOrAt"] = "0",
            ["QaAnalytics__Auth__Mode"] = "Development",  // no tokens in the harnesses: a director of every council
        };
        foreach (var (name, value) in settings ?? new Dictionary<string, string>()) environment[name] = value;
        return StartDotnet(serviceDll, [], environment, out log);
    }

    /// <summary>Waits until the service's gRPC health check says SERVING; throws with its last output if it exits or times out.</summary>
    public static async Task WaitUntilServing(Process service, int port, ConcurrentQueue<string> log, TimeSpan timeout, CancellationToken ct = default)
    {
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
        var health = new Health.HealthClient(channel);
        var clock = Stopwatch.StartNew();
        var last = "no answer yet";
        while (clock.Elapsed < timeout)
        {
            if (service.HasExited)
            {
                throw new InvalidOperationException($"qa-service exited with {service.ExitCode} before serving:\n{Tail(log)}");
            }
            try
            {
                var reply = await health.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(2), cancellationToken: ct);
                if (reply.Status == HealthCheckResponse.Types.ServingStatus.Serving) return;
                last = reply.Status.ToString();
            }
            catch (RpcException ex)
            {
                last = ex.Status.ToString();
            }
            await Task.Delay(100, ct);
        }
        throw new TimeoutException($"qa-service did not report SERVING on 127.0.0.1:{port} within {timeout.TotalSeconds} s ({last}):\n{Tail(log)}");
    }

    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The last lines a process wrote, for an error message.</summary>
    public static string Tail(ConcurrentQueue<string> log) => string.Join('\n', log.TakeLast(40));
}
