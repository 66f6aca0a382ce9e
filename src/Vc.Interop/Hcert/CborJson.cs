using System.Buffers;
using System.Formats.Cbor;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Vc.Interop.Hcert;

/// <summary>Bounded conversion between the CBOR of an hcert sub-claim and JSON (hcert §2.6.3 maps the DCC JSON
/// one to one onto CBOR). Depth and item count are capped so a hostile payload cannot exhaust the stack or memory.</summary>
public static class CborJson
{
    public const int MaxDepth = 16;
    public const int MaxItems = 10_000;

    /// <summary>CBOR → JSON element. Tag 0 date-times stay text, tag 1 epoch times become RFC 3339 text.</summary>
    public static JsonElement ToJsonElement(ReadOnlyMemory<byte> cbor)
    {
        var buffer = new ArrayBufferWriter<byte>(cbor.Length * 2 + 64);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            try
            {
                var reader = new CborReader(cbor, CborConformanceMode.Lax);
                var items = 0;
                Write(reader, writer, 0, ref items);
                if (reader.BytesRemaining != 0)
                    throw new HcertException(HcertFailure.Cwt, "trailing bytes after the payload");
            }
            catch (Exception e) when (e is CborContentException or InvalidOperationException or FormatException or OverflowException or ArgumentException)
            {
                throw new HcertException(HcertFailure.Cwt, "payload is not convertible to JSON: " + e.Message, e);
            }
        }
        // ParseValue builds an unpooled document of exactly this size: no Clone needed.
        var jsonReader = new Utf8JsonReader(buffer.WrittenSpan);
        return JsonElement.ParseValue(ref jsonReader);
    }

    private static void Write(CborReader reader, Utf8JsonWriter writer, int depth, ref int items)
    {
        if (depth > MaxDepth)
            throw new HcertException(HcertFailure.Cwt, $"payload nested deeper than {MaxDepth}");
        if (++items > MaxItems)
            throw new HcertException(HcertFailure.Cwt, $"payload has more than {MaxItems} items");
        switch (reader.PeekState())
        {
            case CborReaderState.StartMap:
            {
                reader.ReadStartMap();
                writer.WriteStartObject();
                // DCC maps hold a handful of keys: a list is cheapest; large maps switch to a hash set (no O(n²)).
                var keys = new List<string>();
                HashSet<string>? manyKeys = null;
                while (reader.PeekState() != CborReaderState.EndMap)
                {
                    var key = reader.PeekState() switch
                    {
                        CborReaderState.TextString => reader.ReadTextString(),
                        CborReaderState.UnsignedInteger or CborReaderState.NegativeInteger => reader.ReadInt64().ToString(CultureInfo.InvariantCulture),
                        var s => throw new HcertException(HcertFailure.Cwt, $"map key of type {s} is not representable in JSON"),
                    };
                    if (manyKeys is null && keys.Count == 16)
                        manyKeys = new HashSet<string>(keys, StringComparer.Ordinal);
                    if (manyKeys is not null ? !manyKeys.Add(key) : keys.Contains(key))
                        throw new HcertException(HcertFailure.Cwt, $"duplicate map key '{key}'");
                    if (manyKeys is null) keys.Add(key);
                    writer.WritePropertyName(key);
                    Write(reader, writer, depth + 1, ref items);
                }
                reader.ReadEndMap();
                writer.WriteEndObject();
                break;
            }
            case CborReaderState.StartArray:
                reader.ReadStartArray();
                writer.WriteStartArray();
                while (reader.PeekState() != CborReaderState.EndArray)
                    Write(reader, writer, depth + 1, ref items);
                reader.ReadEndArray();
                writer.WriteEndArray();
                break;
            case CborReaderState.TextString:
                writer.WriteStringValue(reader.ReadTextString());
                break;
            case CborReaderState.UnsignedInteger:
                writer.WriteNumberValue(reader.ReadUInt64());
                break;
            case CborReaderState.NegativeInteger:
                writer.WriteNumberValue(reader.ReadInt64());
                break;
            case CborReaderState.HalfPrecisionFloat or CborReaderState.SinglePrecisionFloat or CborReaderState.DoublePrecisionFloat:
                var d = reader.ReadDouble();
                if (!double.IsFinite(d))
                    throw new HcertException(HcertFailure.Cwt, "non-finite number is not representable in JSON");
                if (d == Math.Floor(d) && Math.Abs(d) < 1e15) writer.WriteNumberValue((long)d);
                else writer.WriteNumberValue(d);
                break;
            case CborReaderState.Boolean:
                writer.WriteBooleanValue(reader.ReadBoolean());
                break;
            case CborReaderState.Null:
                reader.ReadNull();
                writer.WriteNullValue();
                break;
            case CborReaderState.SimpleValue:
                reader.ReadSimpleValue();
                writer.WriteNullValue();
                break;
            case CborReaderState.ByteString:
                writer.WriteBase64StringValue(reader.ReadByteString());
                break;
            case CborReaderState.Tag:
                var tag = (ulong)reader.ReadTag();
                if (tag == 1 && reader.PeekState() is not CborReaderState.TextString)
                {
                    // RFC 8949 §3.4.2: epoch-based date/time.
                    var seconds = reader.PeekState() is CborReaderState.UnsignedInteger or CborReaderState.NegativeInteger
                        ? reader.ReadInt64() : (long)Math.Floor(reader.ReadDouble());
                    writer.WriteStringValue(DateTimeOffset.FromUnixTimeSeconds(seconds).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
                }
                else
                {
                    Write(reader, writer, depth + 1, ref items); // tag 0 and others: the tagged item as is
                }
                items--;
                break;
            default:
                throw new HcertException(HcertFailure.Cwt, $"CBOR item {reader.PeekState()} is not representable in JSON");
        }
    }

    /// <summary>JSON → CBOR for encoding (hcert §2.6.3): objects → maps with text keys, whole numbers → integers.</summary>
    public static byte[] FromJson(JsonElement json)
    {
        var w = new CborWriter(CborConformanceMode.Lax);
        Write(json, w, 0);
        return w.Encode();
    }

    private static void Write(JsonElement json, CborWriter w, int depth)
    {
        if (depth > MaxDepth)
            throw new HcertException(HcertFailure.Encode, $"JSON nested deeper than {MaxDepth}");
        switch (json.ValueKind)
        {
            case JsonValueKind.Object:
                var props = json.EnumerateObject().ToList();
                w.WriteStartMap(props.Count);
                foreach (var p in props)
                {
                    w.WriteTextString(p.Name);
                    Write(p.Value, w, depth + 1);
                }
                w.WriteEndMap();
                break;
            case JsonValueKind.Array:
                w.WriteStartArray(json.GetArrayLength());
                foreach (var item in json.EnumerateArray()) Write(item, w, depth + 1);
                w.WriteEndArray();
                break;
            case JsonValueKind.String: w.WriteTextString(json.GetString()!); break;
            case JsonValueKind.Number:
                if (json.TryGetInt64(out var l)) w.WriteInt64(l);
                else if (json.TryGetUInt64(out var u)) w.WriteUInt64(u);
                else w.WriteDouble(json.GetDouble());
                break;
            case JsonValueKind.True: w.WriteBoolean(true); break;
            case JsonValueKind.False: w.WriteBoolean(false); break;
            case JsonValueKind.Null: w.WriteNull(); break;
            default: throw new HcertException(HcertFailure.Encode, $"JSON {json.ValueKind} cannot be encoded");
        }
    }

    /// <summary>JsonNode convenience overload.</summary>
    public static byte[] FromJson(JsonNode json) => FromJson(JsonSerializer.SerializeToElement(json));
}
