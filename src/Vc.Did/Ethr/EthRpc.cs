using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Vc.Did.Ethr;

/// <summary>Which step of an Ethereum JSON-RPC exchange failed.</summary>
public enum EthRpcError
{
    Unreachable,
    Timeout,
    HttpStatus,
    ResponseTooLarge,
    MalformedResponse,
    RpcError,
}

/// <summary>A typed failure talking to an Ethereum node; <see cref="Method"/> names the call.</summary>
public sealed class EthRpcException(EthRpcError error, string method, string message, Exception? inner = null)
    : Exception($"rpc {method}: {error}: {message}", inner)
{
    public EthRpcError Error { get; } = error;
    public string Method { get; } = method;
}

/// <summary>One JSON-RPC call: method and positional parameters (strings, longs as hex quantities, bools, maps, arrays).</summary>
public sealed record RpcCall(string Method, params object?[] Params);

/// <summary>
/// An Ethereum JSON-RPC transport. A batch of several calls is one HTTP round trip (JSON-RPC 2.0 §6).
/// Results come back in call order; an error in any call fails the whole batch with a typed exception.
/// </summary>
public interface IEthRpc
{
    Task<IReadOnlyList<JsonElement>> SendAsync(IReadOnlyList<RpcCall> calls, CancellationToken ct = default);
}

/// <summary>JSON-RPC over HTTP with a timeout and a response size cap, so a slow or hostile node cannot hang or flood us.</summary>
public sealed class HttpEthRpc : IEthRpc, IDisposable
{
    private readonly HttpClient _http;
    private readonly Uri _url;
    private readonly long _maxResponseBytes;
    private long _nextId;

    public HttpEthRpc(Uri url, TimeSpan? timeout = null, long maxResponseBytes = 32 << 20)
    {
        _url = url;
        _maxResponseBytes = maxResponseBytes;
        _http = new HttpClient { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        Timeout = timeout ?? TimeSpan.FromSeconds(10);
    }

    public TimeSpan Timeout { get; }

    public async Task<IReadOnlyList<JsonElement>> SendAsync(IReadOnlyList<RpcCall> calls, CancellationToken ct = default)
    {
        if (calls.Count == 0) return [];
        var method = calls.Count == 1 ? calls[0].Method : $"batch[{calls.Count}]:{calls[0].Method}";
        var firstId = Interlocked.Add(ref _nextId, calls.Count) - calls.Count + 1;
        var body = Encode(calls, firstId);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Timeout);
        byte[] response;
        try
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var res = await _http.PostAsync(_url, content, timeout.Token);
            if (!res.IsSuccessStatusCode)
                throw new EthRpcException(EthRpcError.HttpStatus, method, $"HTTP {(int)res.StatusCode} from {_url}");
            if (res.Content.Headers.ContentLength is { } len && len > _maxResponseBytes)
                throw new EthRpcException(EthRpcError.ResponseTooLarge, method, $"response of {len} bytes exceeds {_maxResponseBytes}");
            await using var stream = await res.Content.ReadAsStreamAsync(timeout.Token);
            response = await ReadCappedAsync(stream, method, timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new EthRpcException(EthRpcError.Timeout, method, $"no answer from {_url} within {Timeout.TotalSeconds:0.###} s");
        }
        catch (HttpRequestException e)
        {
            throw new EthRpcException(EthRpcError.Unreachable, method, $"{_url}: {e.Message}", e);
        }
        return Decode(response, calls, firstId, method);
    }

    private async Task<byte[]> ReadCappedAsync(Stream stream, string method, CancellationToken ct)
    {
        using var ms = new MemoryStream();
        var buffer = new byte[81920];
        int n;
        while ((n = await stream.ReadAsync(buffer, ct)) > 0)
        {
            if (ms.Length + n > _maxResponseBytes)
                throw new EthRpcException(EthRpcError.ResponseTooLarge, method, $"response exceeds {_maxResponseBytes} bytes");
            ms.Write(buffer, 0, n);
        }
        return ms.ToArray();
    }

    private static byte[] Encode(IReadOnlyList<RpcCall> calls, long firstId)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            if (calls.Count > 1) w.WriteStartArray();
            for (var i = 0; i < calls.Count; i++)
            {
                w.WriteStartObject();
                w.WriteString("jsonrpc", "2.0");
                w.WriteNumber("id", firstId + i);
                w.WriteString("method", calls[i].Method);
                w.WriteStartArray("params");
                foreach (var p in calls[i].Params) WriteValue(w, p);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            if (calls.Count > 1) w.WriteEndArray();
        }
        return ms.ToArray();
    }

    private static void WriteValue(Utf8JsonWriter w, object? v)
    {
        switch (v)
        {
            case null: w.WriteNullValue(); break;
            case string s: w.WriteStringValue(s); break;
            case bool b: w.WriteBooleanValue(b); break;
            case long l: w.WriteStringValue(Quantity(l)); break;
            case int i: w.WriteStringValue(Quantity(i)); break;
            case IReadOnlyDictionary<string, object?> map:
                w.WriteStartObject();
                foreach (var (k, val) in map) { w.WritePropertyName(k); WriteValue(w, val); }
                w.WriteEndObject();
                break;
            case System.Collections.IEnumerable list:
                w.WriteStartArray();
                foreach (var item in list) WriteValue(w, item);
                w.WriteEndArray();
                break;
            default: throw new ArgumentException($"unsupported RPC parameter type {v.GetType().Name}");
        }
    }

    public static string Quantity(long value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture);

    private static IReadOnlyList<JsonElement> Decode(byte[] response, IReadOnlyList<RpcCall> calls, long firstId, string method)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(response, new JsonDocumentOptions { MaxDepth = 64 }); }
        catch (JsonException e)
        {
            throw new EthRpcException(EthRpcError.MalformedResponse, method, "response is not JSON: " + Preview(response), e);
        }
        using (doc)
        {
            var root = doc.RootElement;
            var replies = new List<JsonElement>();
            if (calls.Count == 1 && root.ValueKind == JsonValueKind.Object) replies.Add(root);
            else if (calls.Count > 1 && root.ValueKind == JsonValueKind.Array) replies.AddRange(root.EnumerateArray());
            else if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var topError))
                throw new EthRpcException(EthRpcError.RpcError, method, ErrorText(topError));
            else throw new EthRpcException(EthRpcError.MalformedResponse, method, "unexpected response shape: " + Preview(response));

            var results = new JsonElement[calls.Count];
            var seen = new bool[calls.Count];
            foreach (var reply in replies)
            {
                if (reply.ValueKind != JsonValueKind.Object || !reply.TryGetProperty("id", out var idEl) || idEl.ValueKind != JsonValueKind.Number
                    || !idEl.TryGetInt64(out var id) || id < firstId || id >= firstId + calls.Count)
                    throw new EthRpcException(EthRpcError.MalformedResponse, method, "reply without a matching id: " + Preview(response));
                var index = (int)(id - firstId);
                if (reply.TryGetProperty("error", out var error))
                    throw new EthRpcException(EthRpcError.RpcError, calls[index].Method, ErrorText(error));
                if (!reply.TryGetProperty("result", out var result))
                    throw new EthRpcException(EthRpcError.MalformedResponse, calls[index].Method, "reply without result");
                results[index] = result.Clone();
                seen[index] = true;
            }
            if (seen.Contains(false)) throw new EthRpcException(EthRpcError.MalformedResponse, method, "batch reply misses some calls");
            return results;
        }
    }

    private static string ErrorText(JsonElement error) =>
        error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String
            ? Trim(m.GetString()!) : Trim(error.GetRawText());

    private static string Preview(byte[] response) => Trim(System.Text.Encoding.UTF8.GetString(response, 0, Math.Min(response.Length, 200)));
    private static string Trim(string s) => s.Length <= 200 ? s : s[..200] + "…";

    public void Dispose() => _http.Dispose();
}

/// <summary>Counts round trips (HTTP requests) and individual calls passing through to an inner transport.</summary>
public sealed class CountingEthRpc(IEthRpc inner) : IEthRpc
{
    private long _roundTrips;
    private long _calls;
    public long RoundTrips => Interlocked.Read(ref _roundTrips);
    public long Calls => Interlocked.Read(ref _calls);
    public void Reset() { Interlocked.Exchange(ref _roundTrips, 0); Interlocked.Exchange(ref _calls, 0); }

    public Task<IReadOnlyList<JsonElement>> SendAsync(IReadOnlyList<RpcCall> calls, CancellationToken ct = default)
    {
        Interlocked.Increment(ref _roundTrips);
        Interlocked.Add(ref _calls, calls.Count);
        return inner.SendAsync(calls, ct);
    }
}

/// <summary>A block header's fields we use.</summary>
public sealed record BlockHeader(long Number, string Hash, string ParentHash, long Timestamp);

/// <summary>A raw log as eth_getLogs returns it.</summary>
public sealed record RawLog(long BlockNumber, string BlockHash, int LogIndex, string Address, IReadOnlyList<string> Topics, byte[] Data);

/// <summary>Typed reads over <see cref="IEthRpc"/>, validating every field of the node's answers.</summary>
public static class EthReads
{
    public static RpcCall BlockNumber() => new("eth_blockNumber");
    public static RpcCall ChainId() => new("eth_chainId");
    public static RpcCall Block(long number) => new("eth_getBlockByNumber", HttpEthRpc.Quantity(number), false);
    public static RpcCall Call(string to, string data, string blockTag = "latest") =>
        new("eth_call", new Dictionary<string, object?> { ["to"] = to, ["data"] = data }, blockTag);
    public static RpcCall Logs(string address, long from, long to, params string?[] topics) =>
        new("eth_getLogs", new Dictionary<string, object?>
        {
            ["address"] = address, ["fromBlock"] = HttpEthRpc.Quantity(from), ["toBlock"] = HttpEthRpc.Quantity(to), ["topics"] = topics,
        });

    public static async Task<JsonElement> OneAsync(this IEthRpc rpc, RpcCall call, CancellationToken ct = default) =>
        (await rpc.SendAsync([call], ct))[0];

    public static long ParseQuantity(JsonElement e, string method)
    {
        if (e.ValueKind == JsonValueKind.String && e.GetString() is { } s && s.StartsWith("0x", StringComparison.Ordinal) && s.Length is > 2 and <= 18
            && long.TryParse(s.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var v) && v >= 0)
            return v;
        throw new EthRpcException(EthRpcError.MalformedResponse, method, "expected a hex quantity, got " + Short(e));
    }

    public static byte[] ParseData(JsonElement e, string method, int? exactLength = null)
    {
        if (e.ValueKind == JsonValueKind.String && e.GetString() is { } s && Encoding.Codec.TryFromHex(s, out var bytes)
            && s.StartsWith("0x", StringComparison.Ordinal) && (exactLength is null || bytes.Length == exactLength))
            return bytes;
        throw new EthRpcException(EthRpcError.MalformedResponse, method, "expected hex data, got " + Short(e));
    }

    public static BlockHeader? ParseBlock(JsonElement e, string method = "eth_getBlockByNumber")
    {
        if (e.ValueKind == JsonValueKind.Null) return null;
        if (e.ValueKind != JsonValueKind.Object) throw new EthRpcException(EthRpcError.MalformedResponse, method, "block is not an object");
        return new BlockHeader(
            ParseQuantity(Get(e, "number", method), method),
            Hash(Get(e, "hash", method), method),
            Hash(Get(e, "parentHash", method), method),
            ParseQuantity(Get(e, "timestamp", method), method));
    }

    public static IReadOnlyList<RawLog> ParseLogs(JsonElement e, string method = "eth_getLogs")
    {
        if (e.ValueKind != JsonValueKind.Array) throw new EthRpcException(EthRpcError.MalformedResponse, method, "logs are not an array");
        var logs = new List<RawLog>();
        foreach (var l in e.EnumerateArray())
        {
            if (l.ValueKind != JsonValueKind.Object) throw new EthRpcException(EthRpcError.MalformedResponse, method, "log is not an object");
            if (l.TryGetProperty("removed", out var removed) && removed.ValueKind == JsonValueKind.True) continue;
            var topicsEl = Get(l, "topics", method);
            if (topicsEl.ValueKind != JsonValueKind.Array || topicsEl.GetArrayLength() > 4)
                throw new EthRpcException(EthRpcError.MalformedResponse, method, "log topics malformed");
            var topics = topicsEl.EnumerateArray().Select(t => Hash(t, method)).ToArray();
            var address = Get(l, "address", method);
            if (address.ValueKind != JsonValueKind.String || !Encoding.Codec.IsHexAddress(address.GetString()!))
                throw new EthRpcException(EthRpcError.MalformedResponse, method, "log address malformed");
            var logIndex = ParseQuantity(Get(l, "logIndex", method), method);
            if (logIndex > int.MaxValue) throw new EthRpcException(EthRpcError.MalformedResponse, method, "log index out of range");
            logs.Add(new RawLog(
                ParseQuantity(Get(l, "blockNumber", method), method),
                Hash(Get(l, "blockHash", method), method),
                (int)logIndex, address.GetString()!.ToLowerInvariant(), topics,
                ParseData(Get(l, "data", method), method)));
        }
        return logs;
    }

    private static JsonElement Get(JsonElement o, string name, string method) =>
        o.TryGetProperty(name, out var v) ? v : throw new EthRpcException(EthRpcError.MalformedResponse, method, $"missing field '{name}'");

    private static string Hash(JsonElement e, string method)
    {
        if (e.ValueKind == JsonValueKind.String && e.GetString() is { Length: 66 } s && s.StartsWith("0x", StringComparison.Ordinal) && s[2..].All(char.IsAsciiHexDigit))
            return s.ToLowerInvariant();
        throw new EthRpcException(EthRpcError.MalformedResponse, method, "expected a 32-byte hash, got " + Short(e));
    }

    private static string Short(JsonElement e)
    {
        var t = e.ValueKind == JsonValueKind.Undefined ? "nothing" : e.GetRawText();
        return t.Length <= 80 ? t : t[..80] + "…";
    }
}
