using System.Net;
using System.Text.Json;
using Nethereum.JsonRpc.Client;
using Nethereum.JsonRpc.Client.RpcMessages;

namespace Vc.Did.Ledger;

/// <summary>
/// The one JSON-RPC transport of every ledger client (did:ethr and the trust registry): Nethereum's
/// <see cref="RpcClient"/> over an HTTP pipeline that bounds each exchange (timeout, response size), checks that
/// replies answer the requests sent (ids), and counts round trips. A batch is one round trip (JSON-RPC 2.0 §6).
/// </summary>
public sealed class LedgerRpc : IDisposable
{
    private readonly HttpClient _http;
    private readonly GuardHandler _guard;

    public LedgerRpc(Uri url, TimeSpan? timeout = null, long maxResponseBytes = 32 << 20, TimeSpan? connectTimeout = null)
    {
        Url = url;
        Timeout = timeout ?? LedgerTimeouts.Default.Total;
        _guard = new GuardHandler(maxResponseBytes, this)
        {
            // A node that accepts no connection fails fast; one that accepts and never answers, within the total.
            InnerHandler = new SocketsHttpHandler { ConnectTimeout = connectTimeout ?? LedgerTimeouts.Default.Connect },
        };
        // Per-connection timeout on our HttpClient: Nethereum's own ConnectionTimeout is process-wide.
        _http = new HttpClient(_guard) { Timeout = Timeout };
        Client = new RpcClient(url, _http);
    }

    public LedgerRpc(Uri url, LedgerTimeouts timeouts) : this(url, timeouts.Total, connectTimeout: timeouts.Connect) { }

    /// <summary>
    /// The embedded Anvil's state file, saved after every receipt this transport sees for a transaction it sent
    /// (Anvil mines on submission: the receipt means the block exists), so a write is on disk before it returns.
    /// </summary>
    public AnvilStateFile? PersistTo { get; init; }

    public Uri Url { get; }
    public TimeSpan Timeout { get; }
    /// <summary>The Nethereum client (also what a <c>Web3</c> on this connection sends through).</summary>
    public IClient Client { get; }
    /// <summary>HTTP requests sent so far (a batch counts once).</summary>
    public long RoundTrips => Interlocked.Read(ref _guard.RoundTrips);
    public void ResetRoundTrips() => Interlocked.Exchange(ref _guard.RoundTrips, 0);

    public void Dispose() => _http.Dispose();

    /// <summary>
    /// Maps whatever a Nethereum call threw to a typed <see cref="LedgerException"/>: the node could not be reached,
    /// did not answer in time, answered with an error, or answered something that is not a valid reply (fail closed).
    /// </summary>
    public static LedgerException Translate(Exception e, string method)
    {
        for (var x = e; x is not null; x = x.InnerException)
            if (x is LedgerException known) return known;
        for (var x = e; x is not null; x = x.InnerException)
        {
            switch (x)
            {
                case RpcClientTimeoutException or TimeoutException or TaskCanceledException:
                    return new LedgerException(LedgerError.Timeout, $"rpc {method}: no answer in time", e);
                case RpcResponseException r:
                    return new LedgerException(LedgerError.RpcError, $"rpc {method}: {Short(r.RpcError?.Message ?? r.Message)}", e);
                case RpcResponseBatchException b:
                    return new LedgerException(LedgerError.RpcError, $"rpc {method}: {Short(string.Join("; ", b.RpcErrors.Select(r => r.Message)))}", e);
                case HttpRequestException { StatusCode: { } status }:
                    return new LedgerException(LedgerError.HttpStatus, $"rpc {method}: HTTP {(int)status}", e);
                case HttpRequestException h:
                    return new LedgerException(LedgerError.Unreachable, $"rpc {method}: {Short(h.Message)}", e);
            }
        }
        // Anything else (JSON that does not parse or does not fit the expected shape) is a malformed answer.
        return new LedgerException(LedgerError.MalformedResponse, $"rpc {method}: {Short(e.GetBaseException().Message)}", e);
    }

    internal static string Short(string s) => s.Length <= 200 ? s : s[..200] + "…";

    /// <summary>Counts round trips, caps the response size, and rejects replies whose ids do not match the request.</summary>
    private sealed class GuardHandler(long maxResponseBytes, LedgerRpc owner) : DelegatingHandler
    {
        public long RoundTrips;
        private int _unsaved; // transactions sent whose block is not saved yet

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            Interlocked.Increment(ref RoundTrips);
            var sent = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(ct);
            var response = await base.SendAsync(request, ct);
            if (response.StatusCode != HttpStatusCode.OK) return response; // Nethereum turns it into HttpRequestException
            if (response.Content.Headers.ContentLength is { } length && length > maxResponseBytes)
                throw new LedgerException(LedgerError.ResponseTooLarge, $"response of {length} bytes exceeds {maxResponseBytes}");
            var body = await ReadCappedAsync(await response.Content.ReadAsStreamAsync(ct), ct);
            var methods = CheckReplies(sent, body);
            if (owner.PersistTo is { } state)
            {
                if (methods.Contains("eth_sendRawTransaction") || methods.Contains("eth_sendTransaction")) Interlocked.Increment(ref _unsaved);
                else if (methods.Contains("eth_getTransactionReceipt") && Volatile.Read(ref _unsaved) > 0 && HasResult(body))
                {
                    Interlocked.Exchange(ref _unsaved, 0);
                    await state.SaveAsync(owner, ct);
                }
            }
            var replaced = new ByteArrayContent(body);
            foreach (var h in response.Content.Headers) replaced.Headers.TryAddWithoutValidation(h.Key, h.Value);
            response.Content.Dispose();
            response.Content = replaced;
            return response;
        }

        private async Task<byte[]> ReadCappedAsync(Stream stream, CancellationToken ct)
        {
            await using var _ = stream;
            using var ms = new MemoryStream();
            var buffer = new byte[81920];
            int n;
            while ((n = await stream.ReadAsync(buffer, ct)) > 0)
            {
                if (ms.Length + n > maxResponseBytes)
                    throw new LedgerException(LedgerError.ResponseTooLarge, $"response exceeds {maxResponseBytes} bytes");
                ms.Write(buffer, 0, n);
            }
            return ms.ToArray();
        }

        /// <summary>JSON-RPC 2.0 §5/§6: one reply per request, each carrying its request's id.</summary>
        private static bool HasResult(byte[] body)
        {
            using var reply = JsonDocument.Parse(body);
            return reply.RootElement.ValueKind == JsonValueKind.Object
                && reply.RootElement.TryGetProperty("result", out var result) && result.ValueKind == JsonValueKind.Object;
        }

        /// <summary>Checks the replies; returns the methods of the requests they answer.</summary>
        private static HashSet<string> CheckReplies(byte[] sent, byte[] body)
        {
            using var request = JsonDocument.Parse(sent);
            JsonDocument reply;
            try { reply = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 64 }); }
            catch (JsonException e) { throw Malformed("reply is not JSON: " + Preview(body), e); }
            using (reply)
            {
                var batch = request.RootElement.ValueKind == JsonValueKind.Array;
                var ids = (batch ? request.RootElement.EnumerateArray().ToArray() : [request.RootElement])
                    .Select(r => r.TryGetProperty("id", out var id) ? id.GetRawText() : "null").ToList();
                var root = reply.RootElement;
                if (batch && root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var error))
                    throw new LedgerException(LedgerError.RpcError, "batch refused: " + Short(error.GetRawText()));
                if (batch != (root.ValueKind == JsonValueKind.Array) || !batch && root.ValueKind != JsonValueKind.Object)
                    throw Malformed("unexpected reply shape: " + Preview(body));
                var replies = batch ? root.EnumerateArray().ToArray() : [root];
                var answered = new HashSet<string>(StringComparer.Ordinal);
                foreach (var r in replies)
                {
                    if (r.ValueKind != JsonValueKind.Object || !r.TryGetProperty("id", out var id) || !ids.Contains(id.GetRawText()) || !answered.Add(id.GetRawText()))
                        throw Malformed("reply without a matching id: " + Preview(body));
                    if (!r.TryGetProperty("result", out _) && !r.TryGetProperty("error", out _))
                        throw Malformed("reply without result or error: " + Preview(body));
                }
                if (answered.Count != ids.Distinct().Count()) throw Malformed("the reply misses some requests");
                return (batch ? request.RootElement.EnumerateArray().ToArray() : [request.RootElement])
                    .Select(r => r.TryGetProperty("method", out var m) ? m.GetString() ?? "" : "").ToHashSet(StringComparer.Ordinal);
            }
        }

        private static LedgerException Malformed(string message, Exception? inner = null) => new(LedgerError.MalformedResponse, message, inner);
        private static string Preview(byte[] b) => Short(System.Text.Encoding.UTF8.GetString(b, 0, Math.Min(b.Length, 200)));
    }
}

/// <summary>
/// How long a ledger exchange may take: opening the connection, and the whole request. Defaults keep any request
/// that depends on the ledger within a few seconds when the ledger is down, paused or hanging.
/// </summary>
public sealed record LedgerTimeouts(TimeSpan Connect, TimeSpan Total)
{
    public static LedgerTimeouts Default { get; } = new(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5));
}

/// <summary>Calls over a Nethereum <see cref="IClient"/> whose failures surface as <see cref="LedgerException"/>.</summary>
public static class LedgerCalls
{
    /// <summary>One request; the result decoded as <typeparamref name="T"/>.</summary>
    public static async Task<T> CallAsync<T>(this IClient client, RpcRequest request, CancellationToken ct = default)
    {
        try { return await client.SendRequestAsync<T>(request).WaitAsync(ct); }
        catch (Exception e) when (e is not LedgerException && !(e is OperationCanceledException && ct.IsCancellationRequested))
        { throw LedgerRpc.Translate(e, request.Method); }
    }

    /// <summary>
    /// Several requests in one round trip; results in request order. Each item gets its own id (Nethereum's
    /// request builders all default to the same one), and an error in any item fails the whole batch.
    /// </summary>
    public static async Task<IReadOnlyList<T>> BatchAsync<T>(this IClient client, IReadOnlyList<RpcRequest> requests, CancellationToken ct = default)
    {
        if (requests.Count == 0) return [];
        var method = $"batch[{requests.Count}]:{requests[0].Method}";
        var items = requests.Select((r, i) => new RawItem<T>(client, new RpcRequest(i + 1, r.Method, r.RawParameters))).ToList();
        var batch = new RpcRequestResponseBatch();
        batch.BatchItems.AddRange(items);
        try { await client.SendBatchRequestAsync(batch).WaitAsync(ct); }
        catch (Exception e) when (e is not LedgerException && !(e is OperationCanceledException && ct.IsCancellationRequested))
        { throw LedgerRpc.Translate(e, method); }
        return items.Select(i => i.Result).ToList();
    }

    /// <summary>A batch item that decodes its reply with the client's own JSON settings.</summary>
    private sealed class RawItem<T>(IClient client, RpcRequest request) : IRpcRequestResponseBatchItem
    {
        public T Result { get; private set; } = default!;
        public object RawResponse => Result!;
        public bool HasError { get; private set; }
        public Nethereum.JsonRpc.Client.RpcError RpcError { get; private set; } = null!;
        public RpcRequestMessage RpcRequestMessage { get; } = new(request.Id, request.Method, request.RawParameters);

        public void DecodeResponse(RpcResponseMessage response)
        {
            if (response.HasError)
            {
                HasError = true;
                RpcError = new Nethereum.JsonRpc.Client.RpcError(response.Error.Code, response.Error.Message, response.Error.Data);
                return;
            }
            try { Result = client.DecodeResult<T>(response); }
            catch (Exception e) { throw new LedgerException(LedgerError.MalformedResponse, $"rpc {request.Method}: {LedgerRpc.Short(e.Message)}", e); }
        }
    }
}
