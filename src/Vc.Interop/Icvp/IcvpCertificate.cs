using System.Formats.Cbor;
using System.Globalization;
using Vc.Interop.Hcert;

namespace Vc.Interop.Icvp;

/// <summary>The two generations of the ICVP payload in claim -260/-6 (see shared notes icvp-gdhcn.md).</summary>
public enum IcvpPayloadVariant
{
    /// <summary>smart-icvp maps Oct 2025, WHO gdhcn-validator, public test QRs: dose under "v" (a map).</summary>
    B,
    /// <summary>2026 draft: "v" is the template version, dose under "vx", validity in the CWT envelope.</summary>
    A,
}

/// <summary>One yellow-fever (or other ICVP) dose: the vaccineDetails of the WHO smart-icvp logical model.</summary>
public sealed record IcvpVaccination
{
    /// <summary>vp: WHO prequalified product id (value set ICVPProductIds).</summary>
    public required string ProductId { get; init; }
    /// <summary>dt (Variant A: dv): date of vaccination, YYYY-MM-DD.</summary>
    public required string Date { get; init; }
    /// <summary>bo: batch number (required by the model).</summary>
    public string? BatchNo { get; init; }
    /// <summary>vls: validity period start.</summary>
    public string? ValidFrom { get; init; }
    /// <summary>vle: validity period end (absent = life of the person vaccinated).</summary>
    public string? ValidUntil { get; init; }
    /// <summary>cn: clinician name.</summary>
    public string? ClinicianName { get; init; }
    /// <summary>is: issuer (a GDHCN participant).</summary>
    public string? Issuer { get; init; }
    /// <summary>tg: targeted disease, ICD-11 (1D47 yellow fever).</summary>
    public string? Disease { get; init; }
    /// <summary>mp: trade item.</summary>
    public string? TradeItem { get; init; }
    /// <summary>ma: manufacturer name.</summary>
    public string? Manufacturer { get; init; }
    /// <summary>mid: manufacturer id.</summary>
    public string? ManufacturerId { get; init; }
    /// <summary>dn: dose number.</summary>
    public int? DoseNumber { get; init; }
    /// <summary>dn as the payload wrote it when that was text (WHO DVC material: "secondDose", "2").</summary>
    public string? DoseText { get; init; }
}

/// <summary>An ICVP certificate as carried in HCERT claim -260/-6 (holder and one dose).</summary>
public sealed record IcvpCertificate
{
    /// <summary>n: name.</summary>
    public required string Name { get; init; }
    /// <summary>dob: date of birth.</summary>
    public required string DateOfBirth { get; init; }
    /// <summary>s: sex.</summary>
    public string? Sex { get; init; }
    /// <summary>ntl (Variant A: nt): nationality, ISO 3166-1 alpha-3.</summary>
    public string? Nationality { get; init; }
    /// <summary>nid (A: id): national identifier.</summary>
    public string? NationalId { get; init; }
    /// <summary>ndt (A: dt): its document type (HL7 v2-0203, e.g. PPN).</summary>
    public string? NationalIdDocumentType { get; init; }
    /// <summary>gn: guardian name (minors).</summary>
    public string? Guardian { get; init; }
    public required IcvpVaccination Vaccination { get; init; }
    /// <summary>The generation the payload was decoded from; encoding always writes Variant B.</summary>
    public IcvpPayloadVariant Variant { get; init; } = IcvpPayloadVariant.B;
    /// <summary>Variant A "v": template version.</summary>
    public string? TemplateVersion { get; init; }
    /// <summary>Variant A "d": issue date.</summary>
    public string? IssueDate { get; init; }

    private const int MaxFields = 64;

    /// <summary>Decodes a -260/-6 map of either generation, or throws <see cref="HcertException"/>
    /// (<see cref="HcertFailure.Cwt"/> for wrong types, <see cref="HcertFailure.Schema"/> for missing fields).</summary>
    public static IcvpCertificate Decode(ReadOnlyMemory<byte> cbor) => Decode(cbor, null);

    /// <summary>Decodes as <see cref="Decode(ReadOnlyMemory{byte})"/>; the shapes of WHO's DVC/ICVP material read
    /// leniently (text dose, legacy field names, codings, a one-element dose array) go to <paramref name="warnings"/>.</summary>
    public static IcvpCertificate Decode(ReadOnlyMemory<byte> cbor, ICollection<HcertWarning>? warnings)
    {
        try
        {
            var reader = new CborReader(cbor, CborConformanceMode.Lax);
            var top = ReadMap(reader, "ICVP payload");
            if (reader.BytesRemaining != 0)
                throw new HcertException(HcertFailure.Cwt, "trailing bytes after the ICVP payload");
            warnings ??= [];
            var variantA = top.ContainsKey("vx") || top.TryGetValue("v", out var v0) && v0 is string;
            var doseKey = variantA ? "vx" : "v";
            var dose = DoseMap(top, doseKey, warnings);
            var text = new Reader(warnings);
            var vaccination = new IcvpVaccination
            {
                ProductId = text.Required(dose, "vp", "v."),
                Date = variantA ? (text.Get(dose, "dv", "vx.") ?? text.Required(dose, "dt", "vx.")) : text.Required(dose, "dt", "v."),
                BatchNo = text.Get(dose, "bo", "v."),
                ValidFrom = text.Legacy(dose, "vls", "dls"),
                ValidUntil = text.Legacy(dose, "vle", "dle"),
                ClinicianName = text.Get(dose, "cn", "v."),
                Issuer = text.Get(dose, "is", "v."),
                Disease = text.Get(dose, "tg", "v."),
                TradeItem = text.Get(dose, "mp", "v."),
                Manufacturer = text.Get(dose, "ma", "v."),
                ManufacturerId = text.Get(dose, "mid", "v."),
                DoseNumber = dose.TryGetValue("dn", out var dn) ? DoseNumberOf(dn, warnings) : null,
                DoseText = dn as string,
            };
            return new IcvpCertificate
            {
                Name = text.Required(top, "n", ""),
                DateOfBirth = text.Required(top, "dob", ""),
                Sex = text.Get(top, "s", ""),
                Nationality = text.Get(top, variantA ? "nt" : "ntl", ""),
                NationalId = text.Get(top, variantA ? "id" : "nid", ""),
                NationalIdDocumentType = text.Get(top, variantA ? "dt" : "ndt", ""),
                Guardian = text.Get(top, "gn", ""),
                Vaccination = vaccination,
                Variant = variantA ? IcvpPayloadVariant.A : IcvpPayloadVariant.B,
                TemplateVersion = variantA ? text.Get(top, "v", "") : null,
                IssueDate = variantA ? text.Get(top, "d", "") : null,
            };
        }
        catch (Exception e) when (e is CborContentException or InvalidOperationException or FormatException or OverflowException)
        {
            throw new HcertException(HcertFailure.Cwt, "malformed ICVP payload: " + e.Message, e);
        }
    }

    /// <summary>The dose map. The legacy DVCMin model (WHO gdhcn-validator) carries "v" as an array of exactly one
    /// vaccination group: read it, with a warning; more than one dose in one payload is not an ICVP.</summary>
    private static Dictionary<string, object?> DoseMap(Dictionary<string, object?> top, string key, ICollection<HcertWarning> warnings)
    {
        switch (top.GetValueOrDefault(key))
        {
            case Dictionary<string, object?> map:
                return map;
            case List<object?> { Count: 1 } list when list[0] is Dictionary<string, object?> only:
                warnings.Add(new HcertWarning(key, $"'{key}' is an array of one vaccination group (legacy DVCMin), not a map"));
                return only;
            case List<object?> list:
                throw new HcertException(HcertFailure.Schema, $"ICVP '{key}' holds {list.Count} vaccination groups; one payload carries one dose");
            default:
                throw new HcertException(HcertFailure.Schema, $"ICVP payload has no dose map '{key}'");
        }
    }

    /// <summary>The dose number: an integer (smart-icvp ICVPMin), or text as the DVCMin CodeType carries it — a number
    /// ("2") or an ordinal code ("secondDose") — read with a warning. Text that names no number stays text.</summary>
    private static int? DoseNumberOf(object? dn, ICollection<HcertWarning> warnings)
    {
        switch (dn)
        {
            case long l and >= 0 and <= 1000:
                return (int)l;
            case double d when d is >= 0 and <= 1000 && d == Math.Floor(d):
                warnings.Add(new HcertWarning("v.dn", $"dose number is a floating-point number ({d.ToString(CultureInfo.InvariantCulture)}); ICVPMin wants an integer"));
                return (int)d;
            case string s:
                var number = int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i <= 1000 ? i : OrdinalDose(s);
                warnings.Add(new HcertWarning("v.dn", number is { } n
                    ? $"dose number is text '{s}' (read as {n}); ICVPMin wants an integer"
                    : $"dose number is text '{s}' that names no number; kept as text"));
                return number;
            default:
                throw new HcertException(HcertFailure.Cwt, "ICVP field 'dn' must be a dose number");
        }
    }

    private static readonly string[] Ordinals = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"];

    private static int? OrdinalDose(string s)
    {
        var word = s.EndsWith("Dose", StringComparison.OrdinalIgnoreCase) ? s[..^4] : s;
        var at = Array.FindIndex(Ordinals, o => string.Equals(o, word.Trim(), StringComparison.OrdinalIgnoreCase));
        return at < 0 ? null : at + 1;
    }

    /// <summary>Reads text fields, accepting the DVCMin shapes WHO material carries with a warning each: a FHIR Coding
    /// map ({code, system}) where ICVPMin has a code.</summary>
    private readonly struct Reader(ICollection<HcertWarning> warnings)
    {
        public string Required(Dictionary<string, object?> map, string key, string path) =>
            Get(map, key, path) ?? throw new HcertException(HcertFailure.Schema, $"ICVP field '{path}{key}' is required");

        public string? Get(Dictionary<string, object?> map, string key, string path)
        {
            if (!map.TryGetValue(key, out var v) || v is null) return null;
            switch (v)
            {
                case string s:
                    return s;
                case long n:
                    // e.g. a batch number written as a number: its digits are the text.
                    var digits = n.ToString(CultureInfo.InvariantCulture);
                    warnings.Add(new HcertWarning(path + key, $"'{path}{key}' is a number ({digits}), not text; read as \"{digits}\""));
                    return digits;
                case Dictionary<string, object?> coding when coding.GetValueOrDefault("code") is string code:
                    warnings.Add(new HcertWarning(path + key, $"'{path}{key}' is a coding {{code, system}} (legacy DVCMin); read its code '{code}'"));
                    return code;
                default:
                    throw new HcertException(HcertFailure.Cwt, $"ICVP field '{path}{key}' must be text");
            }
        }

        /// <summary>A field under its ICVPMin name, else under its DVCMin name (dls/dle), with a warning.</summary>
        public string? Legacy(Dictionary<string, object?> dose, string key, string legacyKey)
        {
            if (Get(dose, key, "v.") is { } value) return value;
            if (Get(dose, legacyKey, "v.") is not { } legacy) return null;
            warnings.Add(new HcertWarning("v." + legacyKey, $"'v.{legacyKey}' is the legacy DVCMin name of 'v.{key}'"));
            return legacy;
        }
    }

    /// <summary>The smart-icvp invariant and required fields: batch number, and issuer or clinician.</summary>
    public IReadOnlyList<string> CheckModel()
    {
        var problems = new List<string>();
        if (string.IsNullOrEmpty(Vaccination.BatchNo)) problems.Add("batchNo (v.bo) is required");
        if (string.IsNullOrEmpty(Vaccination.Issuer) && string.IsNullOrEmpty(Vaccination.ClinicianName))
            problems.Add("issuer (v.is) or clinicianName (v.cn) must be present");
        foreach (var (name, value) in new[] { ("dob", DateOfBirth), ("v.dt", Vaccination.Date), ("v.vls", Vaccination.ValidFrom), ("v.vle", Vaccination.ValidUntil) })
            if (value is not null && !IsDate(value))
                problems.Add($"{name} '{value}' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)");
        return problems;
    }

    /// <summary>The codes against the ICVP catalogue: v.vp in ICVPProductIds, v.tg in DiseaseTargeted. Two shapes of
    /// WHO's DVC material are accepted with a warning: v.vp holding the ICD-11 vaccine code (e.g. XM0N24) of a catalogue
    /// vaccine type instead of a product id, and an ICD-11 code in lower case ("1d47").</summary>
    public IReadOnlyList<string> CheckCodes(Vc.Credentials.Icvp.IcvpCatalogue catalogue, ICollection<HcertWarning>? warnings = null)
    {
        var problems = new List<string>();
        var vp = Vaccination.ProductId;
        if (!catalogue.Products.Any(p => p.Code == vp))
        {
            if (catalogue.VaccineTypes.FirstOrDefault(t => string.Equals(t.Code, vp, StringComparison.OrdinalIgnoreCase)) is { } type)
                warnings?.Add(new HcertWarning("v.vp", $"'{vp}' is the ICD-11 vaccine code '{type.Code}' ({type.Display}), not an ICVPProductIds product id"));
            else
                problems.Add($"v.vp '{vp}' is not in ICVPProductIds");
        }
        if (Vaccination.Disease is { } tg && !catalogue.DiseasesTargeted.Any(d => d.Code == tg))
        {
            if (catalogue.DiseasesTargeted.FirstOrDefault(d => string.Equals(d.Code, tg, StringComparison.OrdinalIgnoreCase)) is { } disease)
                warnings?.Add(new HcertWarning("v.tg", $"'{tg}' is written in lower case; read as '{disease.Code}' ({disease.Display})"));
            else
                problems.Add($"v.tg '{tg}' is not in DiseaseTargeted");
        }
        return problems;
    }

    private static bool IsDate(string s) =>
        DateOnly.TryParseExact(s, ["yyyy-MM-dd", "yyyy-MM", "yyyy"], CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    /// <summary>Encodes as Variant B (the generation every public verifier reads).</summary>
    public byte[] Encode()
    {
        var w = new CborWriter(CborConformanceMode.Lax);
        var top = new List<(string, string?)> { ("n", Name), ("dob", DateOfBirth), ("s", Sex), ("ntl", Nationality), ("nid", NationalId), ("ndt", NationalIdDocumentType), ("gn", Guardian) }
            .Where(p => p.Item2 is not null).ToList();
        w.WriteStartMap(top.Count + 1);
        foreach (var (k, v) in top) { w.WriteTextString(k); w.WriteTextString(v!); }
        w.WriteTextString("v");
        var d = Vaccination;
        var dose = new List<(string, string?)> { ("vp", d.ProductId), ("dt", d.Date), ("bo", d.BatchNo), ("vls", d.ValidFrom), ("vle", d.ValidUntil), ("cn", d.ClinicianName), ("is", d.Issuer), ("tg", d.Disease), ("mp", d.TradeItem), ("ma", d.Manufacturer), ("mid", d.ManufacturerId) }
            .Where(p => p.Item2 is not null).ToList();
        w.WriteStartMap(dose.Count + (d.DoseNumber is null && d.DoseText is null ? 0 : 1));
        foreach (var (k, v) in dose) { w.WriteTextString(k); w.WriteTextString(v!); }
        if (d.DoseNumber is { } dn) { w.WriteTextString("dn"); w.WriteInt32(dn); }
        else if (d.DoseText is { } text) { w.WriteTextString("dn"); w.WriteTextString(text); }
        w.WriteEndMap();
        w.WriteEndMap();
        return w.Encode();
    }

    /// <summary>Reads a map of text keys whose values are text, integers, or (one level) nested maps.</summary>
    private static Dictionary<string, object?> ReadMap(CborReader reader, string what, int depth = 0)
    {
        if (reader.PeekState() != CborReaderState.StartMap)
            throw new HcertException(HcertFailure.Cwt, $"{what} must be a map");
        reader.ReadStartMap();
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        while (reader.PeekState() != CborReaderState.EndMap)
        {
            if (map.Count >= MaxFields)
                throw new HcertException(HcertFailure.Cwt, $"{what} has more than {MaxFields} fields");
            if (reader.PeekState() != CborReaderState.TextString)
                throw new HcertException(HcertFailure.Cwt, $"{what} keys must be text");
            var key = reader.ReadTextString();
            if (map.ContainsKey(key))
                throw new HcertException(HcertFailure.Cwt, $"duplicate key '{key}' in {what}");
            if (reader.PeekState() == CborReaderState.Tag)
                reader.ReadTag(); // tag 0 / 1004 dates: the text inside is what the model holds
            map[key] = reader.PeekState() switch
            {
                CborReaderState.TextString => reader.ReadTextString(),
                CborReaderState.UnsignedInteger or CborReaderState.NegativeInteger => reader.ReadInt64(),
                CborReaderState.HalfPrecisionFloat or CborReaderState.SinglePrecisionFloat or CborReaderState.DoublePrecisionFloat => reader.ReadDouble(),
                CborReaderState.Null => ReadNull(reader),
                CborReaderState.StartMap when depth < 2 => ReadMap(reader, $"{what}.{key}", depth + 1),
                CborReaderState.StartArray when depth == 0 => ReadArray(reader, $"{what}.{key}"),
                _ => Skip(reader),
            };
        }
        reader.ReadEndMap();
        return map;
    }

    /// <summary>A short array of maps (the legacy DVCMin dose group); anything else in it is skipped.</summary>
    private static List<object?> ReadArray(CborReader reader, string what)
    {
        var count = reader.ReadStartArray();
        if (count > 8)
            throw new HcertException(HcertFailure.Cwt, $"{what} has more than 8 items");
        var list = new List<object?>();
        while (reader.PeekState() != CborReaderState.EndArray)
        {
            if (list.Count >= 8)
                throw new HcertException(HcertFailure.Cwt, $"{what} has more than 8 items");
            list.Add(reader.PeekState() == CborReaderState.StartMap ? ReadMap(reader, what, 1) : Skip(reader));
        }
        reader.ReadEndArray();
        return list;
    }

    private static object? ReadNull(CborReader reader) { reader.ReadNull(); return null; }

    /// <summary>Unknown shapes (arrays, floats…) are skipped: they belong to no field the model knows.</summary>
    private static object Skip(CborReader reader) { reader.SkipValue(); return new object(); }
}
