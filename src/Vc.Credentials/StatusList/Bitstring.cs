using System.Buffers.Text;
using System.IO.Compression;
using Vc.Credentials.Verification;

namespace Vc.Credentials.StatusList;

/// <summary>
/// The bitstring of a Bitstring Status List (W3C REC §4): bit 0 is the most significant (leftmost) bit of
/// the first byte; the encoded form is multibase base64url (no padding, prefix 'u') of the GZIP of the bytes.
/// </summary>
public sealed class Bitstring
{
    /// <summary>§6.1: the minimum length for group privacy, 131,072 entries (16 KB).</summary>
    public const int MinimumLength = 131_072;

    /// <summary>Default decoding cap: 2^27 entries (16 MiB decompressed).</summary>
    public const int DefaultMaxLength = 1 << 27;

    private readonly byte[] _bytes;

    /// <summary>A bitstring of <paramref name="length"/> zero bits (a multiple of 8, at least <see cref="MinimumLength"/>).</summary>
    public Bitstring(int length = MinimumLength)
    {
        if (length < MinimumLength || length % 8 != 0 || length > DefaultMaxLength)
            throw new ArgumentOutOfRangeException(nameof(length), $"A status list has a multiple of 8 entries between {MinimumLength} and {DefaultMaxLength}.");
        _bytes = new byte[length / 8];
    }

    private Bitstring(byte[] bytes) => _bytes = bytes;

    /// <summary>Number of entries.</summary>
    public int Length => _bytes.Length * 8;

    /// <summary>The bit at an index (§4.3 step: big-endian bit order from the left).</summary>
    public bool this[int index]
    {
        get
        {
            CheckIndex(index);
            return (_bytes[index >> 3] & (0x80 >> (index & 7))) != 0;
        }
        set
        {
            CheckIndex(index);
            if (value) _bytes[index >> 3] |= (byte)(0x80 >> (index & 7));
            else _bytes[index >> 3] &= (byte)~(0x80 >> (index & 7));
        }
    }

    /// <summary>A copy of this bitstring.</summary>
    public Bitstring Clone() => new((byte[])_bytes.Clone());

    /// <summary>The raw bytes (for persistence).</summary>
    public byte[] ToBytes() => (byte[])_bytes.Clone();

    /// <summary>Restores a bitstring from <see cref="ToBytes"/>.</summary>
    public static Bitstring FromBytes(byte[] bytes)
    {
        if (bytes.Length * 8 < MinimumLength) throw new ArgumentException("The bitstring is shorter than the minimum length.", nameof(bytes));
        return new((byte[])bytes.Clone());
    }

    /// <summary>§4.1 Generate Algorithm: GZIP, then multibase base64url without padding.</summary>
    public string Encode()
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
            gzip.Write(_bytes);
        return "u" + Base64Url.EncodeToString(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }

    /// <summary>§4.2 Expand Algorithm, bounded: decoding stops once <paramref name="maxLength"/> entries are exceeded.</summary>
    /// <exception cref="CredentialException">StatusVerificationError (bad encoding) or StatusListLengthError (too short / too long).</exception>
    public static Bitstring Decode(string encodedList, int maxLength = DefaultMaxLength)
    {
        ArgumentNullException.ThrowIfNull(encodedList);
        if (encodedList.Length < 2 || encodedList[0] != 'u')
            throw new CredentialException(ProblemCode.StatusVerificationError, "encodedList is not multibase base64url ('u' prefix).");
        var text = encodedList.AsSpan(1);
        if (text.Length > maxLength / 8 * 2 + 1024)
            throw new CredentialException(ProblemCode.StatusListLengthError, "encodedList is larger than any list this verifier accepts.");
        if (!Base64Url.IsValid(text)) throw new CredentialException(ProblemCode.StatusVerificationError, "encodedList is not valid base64url.");
        var compressed = Base64Url.DecodeFromChars(text);
        var maxBytes = maxLength / 8;
        using var output = new MemoryStream();
        try
        {
            using var gzip = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
            var chunk = new byte[8192];
            int read;
            while ((read = gzip.Read(chunk)) > 0)
            {
                if (output.Length + read > maxBytes)
                    throw new CredentialException(ProblemCode.StatusListLengthError, $"The status list expands beyond {maxLength} entries.");
                output.Write(chunk, 0, read);
            }
        }
        catch (InvalidDataException e) { throw new CredentialException(ProblemCode.StatusVerificationError, "encodedList is not valid GZIP.", e); }
        if (output.Length * 8 < MinimumLength)
            throw new CredentialException(ProblemCode.StatusListLengthError, $"The status list has {output.Length * 8} entries; the minimum is {MinimumLength}.");
        return new Bitstring(output.ToArray());
    }

    private void CheckIndex(int index)
    {
        if ((uint)index >= (uint)Length) throw new ArgumentOutOfRangeException(nameof(index), $"Index {index} is outside the list of {Length} entries.");
    }
}
