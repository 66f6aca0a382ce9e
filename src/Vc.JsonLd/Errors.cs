namespace Vc.JsonLd;

/// <summary>
/// JSON-LD error codes. The names follow the JSON-LD 1.1 API error codes; <see cref="JsonLdErrors.SpecName"/>
/// gives the spec's string (e.g. "protected term redefinition"). The last group is this library's own.
/// </summary>
public enum JsonLdErrorCode
{
    CollidingKeywords,
    ConflictingIndexes,
    ContextOverflow,
    CyclicIriMapping,
    InvalidAtIdValue,
    InvalidAtImportValue,
    InvalidAtIncludedValue,
    InvalidAtIndexValue,
    InvalidAtNestValue,
    InvalidAtPrefixValue,
    InvalidAtPropagateValue,
    InvalidAtProtectedValue,
    InvalidAtReverseValue,
    InvalidAtVersionValue,
    InvalidBaseDirection,
    InvalidBaseIri,
    InvalidContainerMapping,
    InvalidContextEntry,
    InvalidContextNullification,
    InvalidDefaultLanguage,
    InvalidIriMapping,
    InvalidJsonLiteral,
    InvalidKeywordAlias,
    InvalidLanguageMapValue,
    InvalidLanguageMapping,
    InvalidLanguageTaggedString,
    InvalidLanguageTaggedValue,
    InvalidLocalContext,
    InvalidRemoteContext,
    InvalidReverseProperty,
    InvalidReversePropertyMap,
    InvalidReversePropertyValue,
    InvalidScopedContext,
    InvalidSetOrListObject,
    InvalidTermDefinition,
    InvalidTypeMapping,
    InvalidTypeValue,
    InvalidTypedValue,
    InvalidValueObject,
    InvalidValueObjectValue,
    InvalidVocabMapping,
    IriConfusedWithPrefix,
    KeywordRedefinition,
    LoadingDocumentFailed,
    LoadingRemoteContextFailed,
    ProcessingModeConflict,
    ProtectedTermRedefinition,

    // ---- this library's own codes ----
    /// <summary>A JSON-LD feature or option outside what this processor implements.</summary>
    UnsupportedFeature,
    /// <summary>Safe mode: a property, type or IRI would be dropped or not convertible.</summary>
    TermWouldBeDropped,
    /// <summary>Nested scoped/remote contexts deeper than the configured limit.</summary>
    ContextDepthExceeded,
    /// <summary>JSON nesting deeper than the configured limit.</summary>
    MaxDepthExceeded,
    /// <summary>Document, string or output larger than the configured limit.</summary>
    SizeLimitExceeded,
    /// <summary>The input is not well-formed JSON (or has duplicate keys).</summary>
    InvalidJson,
}

/// <summary>Maps <see cref="JsonLdErrorCode"/> to the spec's error strings.</summary>
public static class JsonLdErrors
{
    /// <summary>The spec's name of the code ("invalid @id value"), or this library's own phrase.</summary>
    public static string SpecName(JsonLdErrorCode code) => code switch
    {
        JsonLdErrorCode.CollidingKeywords => "colliding keywords",
        JsonLdErrorCode.ConflictingIndexes => "conflicting indexes",
        JsonLdErrorCode.ContextOverflow => "context overflow",
        JsonLdErrorCode.CyclicIriMapping => "cyclic IRI mapping",
        JsonLdErrorCode.InvalidAtIdValue => "invalid @id value",
        JsonLdErrorCode.InvalidAtImportValue => "invalid @import value",
        JsonLdErrorCode.InvalidAtIncludedValue => "invalid @included value",
        JsonLdErrorCode.InvalidAtIndexValue => "invalid @index value",
        JsonLdErrorCode.InvalidAtNestValue => "invalid @nest value",
        JsonLdErrorCode.InvalidAtPrefixValue => "invalid @prefix value",
        JsonLdErrorCode.InvalidAtPropagateValue => "invalid @propagate value",
        JsonLdErrorCode.InvalidAtProtectedValue => "invalid @protected value",
        JsonLdErrorCode.InvalidAtReverseValue => "invalid @reverse value",
        JsonLdErrorCode.InvalidAtVersionValue => "invalid @version value",
        JsonLdErrorCode.InvalidBaseDirection => "invalid base direction",
        JsonLdErrorCode.InvalidBaseIri => "invalid base IRI",
        JsonLdErrorCode.InvalidContainerMapping => "invalid container mapping",
        JsonLdErrorCode.InvalidContextEntry => "invalid context entry",
        JsonLdErrorCode.InvalidContextNullification => "invalid context nullification",
        JsonLdErrorCode.InvalidDefaultLanguage => "invalid default language",
        JsonLdErrorCode.InvalidIriMapping => "invalid IRI mapping",
        JsonLdErrorCode.InvalidJsonLiteral => "invalid JSON literal",
        JsonLdErrorCode.InvalidKeywordAlias => "invalid keyword alias",
        JsonLdErrorCode.InvalidLanguageMapValue => "invalid language map value",
        JsonLdErrorCode.InvalidLanguageMapping => "invalid language mapping",
        JsonLdErrorCode.InvalidLanguageTaggedString => "invalid language-tagged string",
        JsonLdErrorCode.InvalidLanguageTaggedValue => "invalid language-tagged value",
        JsonLdErrorCode.InvalidLocalContext => "invalid local context",
        JsonLdErrorCode.InvalidRemoteContext => "invalid remote context",
        JsonLdErrorCode.InvalidReverseProperty => "invalid reverse property",
        JsonLdErrorCode.InvalidReversePropertyMap => "invalid reverse property map",
        JsonLdErrorCode.InvalidReversePropertyValue => "invalid reverse property value",
        JsonLdErrorCode.InvalidScopedContext => "invalid scoped context",
        JsonLdErrorCode.InvalidSetOrListObject => "invalid set or list object",
        JsonLdErrorCode.InvalidTermDefinition => "invalid term definition",
        JsonLdErrorCode.InvalidTypeMapping => "invalid type mapping",
        JsonLdErrorCode.InvalidTypeValue => "invalid type value",
        JsonLdErrorCode.InvalidTypedValue => "invalid typed value",
        JsonLdErrorCode.InvalidValueObject => "invalid value object",
        JsonLdErrorCode.InvalidValueObjectValue => "invalid value object value",
        JsonLdErrorCode.InvalidVocabMapping => "invalid vocab mapping",
        JsonLdErrorCode.IriConfusedWithPrefix => "IRI confused with prefix",
        JsonLdErrorCode.KeywordRedefinition => "keyword redefinition",
        JsonLdErrorCode.LoadingDocumentFailed => "loading document failed",
        JsonLdErrorCode.LoadingRemoteContextFailed => "loading remote context failed",
        JsonLdErrorCode.ProcessingModeConflict => "processing mode conflict",
        JsonLdErrorCode.ProtectedTermRedefinition => "protected term redefinition",
        JsonLdErrorCode.UnsupportedFeature => "unsupported JSON-LD feature",
        JsonLdErrorCode.TermWouldBeDropped => "term would be dropped (safe mode)",
        JsonLdErrorCode.ContextDepthExceeded => "context depth exceeded",
        JsonLdErrorCode.MaxDepthExceeded => "max depth exceeded",
        JsonLdErrorCode.SizeLimitExceeded => "size limit exceeded",
        JsonLdErrorCode.InvalidJson => "invalid JSON",
        _ => code.ToString(),
    };
}

/// <summary>A JSON-LD processing error with the spec's error code.</summary>
public sealed class JsonLdException : Exception
{
    public JsonLdException(JsonLdErrorCode code, string detail, Exception? inner = null)
        : base(JsonLdErrors.SpecName(code) + ": " + detail, inner)
    {
        Code = code;
        Detail = detail;
    }

    /// <summary>The error code.</summary>
    public JsonLdErrorCode Code { get; }

    /// <summary>The spec's error string for <see cref="Code"/>, e.g. "invalid @id value".</summary>
    public string SpecCode => JsonLdErrors.SpecName(Code);

    /// <summary>What was wrong, naming the offending term, IRI or URL.</summary>
    public string Detail { get; }
}

/// <summary>Why RDF Dataset Canonicalization or N-Quads processing failed.</summary>
public enum RdfcErrorCode
{
    /// <summary>Hash N-Degree Quads work exceeded the configured limit (poison graph).</summary>
    WorkLimitExceeded,
    /// <summary>The N-Quads input is malformed.</summary>
    InvalidNQuads,
    /// <summary>Hash algorithm not supported.</summary>
    UnsupportedHashAlgorithm,
    /// <summary>Input exceeds a size limit (quads, bytes).</summary>
    SizeLimitExceeded,
}

/// <summary>An RDFC-1.0 or N-Quads error.</summary>
public sealed class RdfcException : Exception
{
    public RdfcException(RdfcErrorCode code, string message) : base(message) => Code = code;

    /// <summary>The error code.</summary>
    public RdfcErrorCode Code { get; }

    /// <summary>For <see cref="RdfcErrorCode.WorkLimitExceeded"/>: the Hash N-Degree Quads calls made before the
    /// refusal (the work counter), else 0.</summary>
    public long HashNDegreeQuadsCalls { get; init; }
}
