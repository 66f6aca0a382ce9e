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
    public static IcvpCertificate Decode(ReadOnlyMemory<byte> cbor)
    {
        try
        {
            var reader = new CborReader(cbor, CborConformanceMode.Lax);
            var top = ReadMap(reader, "ICVP payload");
            if (reader.BytesRemaining != 0)
                throw new HcertException(HcertFailure.Cwt, "trailing bytes after the ICVP payload");
            var variantA = top.ContainsKey("vx") || top.TryGetValue("v", out var v0) && v0 is string;
            var doseKey = variantA ? "vx" : "v";
            if (!top.TryGetValue(doseKey, out var doseObj) || doseObj is not Dictionary<string, object?> dose)
                throw new HcertException(HcertFailure.Schema, $"ICVP payload has no dose map '{doseKey}'");
            var vaccination = new IcvpVaccination
            {
                ProductId = Required(dose, "vp"),
                Date = variantA ? (Text(dose, "dv") ?? Required(dose, "dt")) : Required(dose, "dt"),
                BatchNo = Text(dose, "bo"),
                ValidFrom = Text(dose, "vls"),
                ValidUntil = Text(dose, "vle"),
                ClinicianName = Text(dose, "cn"),
                Issuer = Text(dose, "is"),
                Disease = Text(dose, "tg"),
                TradeItem = Text(dose, "mp"),
                Manufacturer = Text(dose, "ma"),
                ManufacturerId = Text(dose, "mid"),
                DoseNumber = dose.TryGetValue("dn", out var dn) ? dn switch
                {
                    long l and >= 0 and <= 1000 => (int)l,
                    string s when int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var i) => i,
                    _ => throw new HcertException(HcertFailure.Cwt, "ICVP field 'dn' must be a dose number"),
                } : null,
            };
            return new IcvpCertificate
            {
                Name = Required(top, "n"),
                DateOfBirth = Required(top, "dob"),
                Sex = Text(top, "s"),
                Nationality = Text(top, variantA ? "nt" : "ntl"),
                NationalId = Text(top, variantA ? "id" : "nid"),
                NationalIdDocumentType = Text(top, variantA ? "dt" : "ndt"),
                Guardian = Text(top, "gn"),
                Vaccination = vaccination,
                Variant = variantA ? IcvpPayloadVariant.A : IcvpPayloadVariant.B,
                TemplateVersion = variantA ? Text(top, "v") : null,
                IssueDate = variantA ? Text(top, "d") : null,
            };
        }
        catch (Exception e) when (e is CborContentException or InvalidOperationException or FormatException or OverflowException)
        {
            throw new HcertException(HcertFailure.Cwt, "malformed ICVP payload: " + e.Message, e);
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

    /// <summary>The codes against the ICVP catalogue: v.vp in ICVPProductIds, v.tg in DiseaseTargeted (exact codes, as
    /// an HCERT carries them).</summary>
    public IReadOnlyList<string> CheckCodes(Vc.Credentials.Icvp.IcvpCatalogue catalogue)
    {
        var problems = new List<string>();
        if (!catalogue.Products.Any(p => p.Code == Vaccination.ProductId))
            problems.Add($"v.vp '{Vaccination.ProductId}' is not in ICVPProductIds");
        if (Vaccination.Disease is { } tg && !catalogue.DiseasesTargeted.Any(d => d.Code == tg))
            problems.Add($"v.tg '{tg}' is not in DiseaseTargeted");
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
        w.WriteStartMap(dose.Count + (d.DoseNumber is null ? 0 : 1));
        foreach (var (k, v) in dose) { w.WriteTextString(k); w.WriteTextString(v!); }
        if (d.DoseNumber is { } dn) { w.WriteTextString("dn"); w.WriteInt32(dn); }
        w.WriteEndMap();
        w.WriteEndMap();
        return w.Encode();
    }

    private static string Required(Dictionary<string, object?> map, string key) =>
        Text(map, key) ?? throw new HcertException(HcertFailure.Schema, $"ICVP field '{key}' is required");

    private static string? Text(Dictionary<string, object?> map, string key) =>
        !map.TryGetValue(key, out var v) || v is null ? null
        : v as string ?? throw new HcertException(HcertFailure.Cwt, $"ICVP field '{key}' must be text");

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
                CborReaderState.Null => ReadNull(reader),
                CborReaderState.StartMap when depth == 0 => ReadMap(reader, $"{what}.{key}", 1),
                _ => Skip(reader),
            };
        }
        reader.ReadEndMap();
        return map;
    }

    private static object? ReadNull(CborReader reader) { reader.ReadNull(); return null; }

    /// <summary>Unknown shapes (arrays, floats…) are skipped: they belong to no field the model knows.</summary>
    private static object Skip(CborReader reader) { reader.SkipValue(); return new object(); }
}
