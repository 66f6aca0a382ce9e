using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Vc.Did.Tests.Web;

/// <summary>
/// A real web server for did:web: Kestrel on 127.0.0.1 with a port chosen by the system, over HTTPS with a
/// certificate made for this run (and, on a second port, plain HTTP). Each test puts the answers it needs under
/// its own paths.
/// </summary>
public sealed class DidWebServer : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, RequestDelegate> _routes = new(StringComparer.Ordinal);
    private WebApplication? _app;

    /// <summary>The self-signed server certificate (127.0.0.1 and localhost).</summary>
    public X509Certificate2 Certificate { get; } = CreateCertificate();
    public int HttpsPort { get; private set; }
    public int HttpPort { get; private set; }

    /// <summary>did:web:127.0.0.1%3A&lt;https port&gt;[:path…].</summary>
    public string Did(params string[] path) => string.Join(':', ["did:web:127.0.0.1%3A" + HttpsPort, .. path]);

    public void Route(string path, RequestDelegate answer) => _routes[path] = answer;

    /// <summary>A DID document as a server would publish it: a relative Multikey method referenced by assertionMethod.</summary>
    public void Document(string path, string id, string publicKeyMultibase) => Route(path, http =>
    {
        http.Response.ContentType = "application/did+ld+json";
        return http.Response.WriteAsync($$"""
            {"@context":["https://www.w3.org/ns/did/v1","https://w3id.org/security/multikey/v1"],"id":"{{id}}",
             "verificationMethod":[{"id":"#key-1","type":"Multikey","controller":"{{id}}","publicKeyMultibase":"{{publicKeyMultibase}}"}],
             "assertionMethod":["#key-1"]}
            """);
    });

    /// <summary>The GDHCN DEV trust list host, whose documents tests serve from this server.</summary>
    public const string WhoDevHost = "tng-cdn-dev.who.int";

    /// <summary>
    /// <see cref="TrustingHandler"/>, with every connection made to this server's HTTPS port whatever host the URL
    /// names: DNS is the only thing replaced (TLS still checks the name, e.g. <see cref="WhoDevHost"/>).
    /// </summary>
    public SocketsHttpHandler HandlerForAnyHost()
    {
        var handler = TrustingHandler();
        handler.ConnectCallback = async (_, ct) =>
        {
            var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, HttpsPort), ct);
                return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        };
        return handler;
    }

    /// <summary>A handler that trusts this server's certificate and nothing else beyond the system's roots.</summary>
    public SocketsHttpHandler TrustingHandler() => new()
    {
        AllowAutoRedirect = false,
        SslOptions = new SslClientAuthenticationOptions
        {
            // Only the missing chain to a root is forgiven, and only for this exact certificate: the name is still checked.
            RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                errors == SslPolicyErrors.None
                || (errors == SslPolicyErrors.RemoteCertificateChainErrors && certificate is not null
                    && certificate.GetCertHashString(HashAlgorithmName.SHA256) == Certificate.GetCertHashString(HashAlgorithmName.SHA256)),
        },
    };

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0, o => o.UseHttps(Certificate));
            k.Listen(IPAddress.Loopback, 0);
        });
        _app = builder.Build();
        _app.Run(http =>
        {
            if (_routes.TryGetValue(http.Request.Path.Value ?? "", out var answer)) return answer(http);
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
        await _app.StartAsync();
        foreach (var address in _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses)
        {
            var uri = new Uri(address);
            if (uri.Scheme == "https") HttpsPort = uri.Port; else HttpPort = uri.Port;
        }
    }

    public async Task DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
        Certificate.Dispose();
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        // WHO's GDHCN DEV host: its published did:web documents are served from here (see HandlerForAnyHost).
        names.AddDnsName(WhoDevHost);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = TimeProvider.System.GetUtcNow();
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddHours(1));
        // A PKCS#12 round trip gives the server a key it can use on every platform (an ephemeral one is not everywhere).
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }
}
