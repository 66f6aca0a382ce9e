using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Vc.Node.Tests;

/// <summary>
/// Bounded memory under hostile images (issue #15, finding 4): the node runs as its own process (so its resident
/// memory is measurable) and gets 32 parallel 6300×6300 PNGs of ≈ 52 KB each, plus parallel images just under the
/// pixel cap that are really decoded; its RSS stays under 512 MB and comes back near its baseline.
/// </summary>
public sealed class MemoryBoundTests
{
    private const long Limit = 512L << 20;

    private static long Rss(int pid) => Status(pid, "VmRSS:");

    /// <summary>The most resident memory since the peak was last reset (the kernel's high-water mark: no sampling misses a spike).</summary>
    private static long PeakRss(int pid) => Status(pid, "VmHWM:");

    /// <summary>Resets the kernel's resident-memory high-water mark to the current RSS (proc(5), clear_refs "5").</summary>
    private static void ResetPeakRss(int pid) => File.WriteAllText($"/proc/{pid}/clear_refs", "5");

    private static long Status(int pid, string field)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            if (line.StartsWith(field, StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
        throw new InvalidOperationException("no " + field);
    }

    /// <summary>
    /// A full blocking GC in the node, induced through its diagnostics port (an EventPipe session asking for the GC
    /// heap-collect keyword, as dotnet-gcdump does); it has run when the session has started.
    /// </summary>
    private static void InduceGc(int pid)
    {
        const long GcHeapCollect = 0x800000;
        using var session = new Microsoft.Diagnostics.NETCore.Client.DiagnosticsClient(pid).StartEventPipeSession(
            new Microsoft.Diagnostics.NETCore.Client.EventPipeProvider("Microsoft-Windows-DotNETRuntime", System.Diagnostics.Tracing.EventLevel.Informational, GcHeapCollect),
            requestRundown: false);
        session.Stop();
    }

    /// <summary>A real HC1 QR code drawn at the module size that makes it about <paramref name="pixels"/> wide.</summary>
    private static byte[] QrPng(string hc1, int pixels)
    {
        var modules = StbImageSharp.ImageInfo.FromStream(new MemoryStream(Vc.Interop.Qr.HcertQr.RenderPng(hc1, 1)))!.Value.Width;
        return Vc.Interop.Qr.HcertQr.RenderPng(hc1, pixels / modules);
    }

    [Fact]
    public async Task Parallel_huge_qr_images_keep_the_node_process_under_512_mb_and_it_returns_near_its_baseline()
    {
        using var pki = Vc.Interop.Pki.CountryPki.Create("KE");
        using var dsc = pki.IssueDsc("DSC memory");
        var hc1 = new Vc.Interop.Hcert.HcertSigner(dsc).SignEuDcc(System.Text.Json.JsonDocument.Parse(
            """{"ver":"1.3.0","nam":{"fnt":"MUSTERFRAU"},"dob":"1964-08-12","v":[{"tg":"840539006","vp":"1119349007","mp":"EU/1/20/1528","ma":"ORG-100030215","dn":2,"sd":2,"dt":"2021-05-29","co":"DE","is":"RKI","ci":"URN:UVCI:01DE/IZ12345A/5CWLU12RNOB9RXSEOP6FG8#W"}]}""").RootElement,
            "DE", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(30));
        var huge = QrPng(hc1, 6300);
        var info = StbImageSharp.ImageInfo.FromStream(new MemoryStream(huge))!.Value;
        Assert.InRange(info.Width, 6000, 6400);
        Assert.InRange(huge.Length, 20_000, 120_000);
        var nearCap = QrPng(hc1, 3900); // ≈ 15 megapixels: under the cap, so it is really decoded

        var data = Directory.CreateTempSubdirectory("vchealth-mem-").FullName;
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0)) { probe.Start(); port = ((IPEndPoint)probe.LocalEndpoint).Port; }
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var a in new[] { typeof(Vc.Node.Cli.CliApp).Assembly.Location, "node", "--data", data, "--urls", $"http://127.0.0.1:{port}" })
            psi.ArgumentList.Add(a);
        using var node = Process.Start(psi)!;
        var started = NodeStart.Watch(node, _ => { });
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(5) };
        try
        {
            Assert.True(await started, "the node exited during start");
            Assert.True((await http.GetAsync("/health")).IsSuccessStatusCode);
            async Task<HttpResponseMessage> Post(byte[] png) => await http.PostAsync("/hcert/verify",
                new StringContent(new JsonObject { ["qrPng"] = Convert.ToBase64String(png) }.ToJsonString(), Encoding.UTF8, "application/json"));

            // Baseline: after one request of each kind (code paths loaded).
            (await Post(huge)).Dispose();
            (await Post(nearCap)).Dispose();
            var baseline = Rss(node.Id);

            ResetPeakRss(node.Id);
            var answers = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Post(huge)).Concat(Enumerable.Range(0, 8).Select(_ => Post(nearCap))));
            var peak = PeakRss(node.Id);
            foreach (var answer in answers)
            {
                Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode); // refused image or untrusted signer: typed either way
                answer.Dispose();
            }
            Assert.True(peak < Limit, $"peak RSS {peak >> 20} MB (baseline {baseline >> 20} MB)");

            // Back near the baseline once the burst is over: the GC returns what the burst took (a region freed by one
            // collection is given back over the next ones), looked at after each full collection, at most 20.
            long now = 0;
            for (var collection = 0; collection < 20; collection++)
            {
                now = Rss(node.Id);
                if (now <= baseline + (96L << 20)) break;
                InduceGc(node.Id);
            }
            Assert.True(now <= baseline + (96L << 20), $"RSS {now >> 20} MB after the burst (baseline {baseline >> 20} MB, peak {peak >> 20} MB)");
            Console.WriteLine($"node RSS: baseline {baseline >> 20} MB, peak {peak >> 20} MB, after {now >> 20} MB (limit {Limit >> 20} MB)");
        }
        finally
        {
            node.Kill(entireProcessTree: true);
            await node.WaitForExitAsync();
            Directory.Delete(data, recursive: true);
        }
    }
}
