using System.Text.Json;
using System.Text.Json.Nodes;

namespace Vc.Node.Cli;

/// <summary>Reading command inputs: a file path or "-" for stdin, with a size cap and typed failures.</summary>
public static class CliInput
{
    public const int MaxBytes = 8 * 1024 * 1024;

    /// <summary>UTF-8 that refuses invalid bytes: a signed document must not be silently repaired with U+FFFD.</summary>
    private static readonly System.Text.UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>A failure to read or parse an input (exit code 3).</summary>
    public sealed class InputException(string message, Exception? inner = null) : Exception(message, inner);

    public static async Task<string> ReadTextAsync(string path)
    {
        if (path == "-")
        {
            var buffer = new char[MaxBytes + 1];
            var n = await Console.In.ReadBlockAsync(buffer, 0, buffer.Length);
            return n > MaxBytes ? throw new InputException($"stdin is larger than {MaxBytes} bytes") : new string(buffer, 0, n);
        }
        var info = new FileInfo(path);
        if (!info.Exists) throw new InputException($"{path}: no such file");
        if (info.Length > MaxBytes) throw new InputException($"{path} is larger than {MaxBytes} bytes");
        try { return await File.ReadAllTextAsync(path, StrictUtf8); }
        catch (System.Text.DecoderFallbackException e) { throw new InputException($"{path} is not valid UTF-8 ({e.Message})", e); }
    }

    public static async Task<JsonObject> ReadObjectAsync(string path)
    {
        var text = await ReadTextAsync(path);
        try
        {
            // The libraries' strict reading: I-JSON (no duplicate names, no lone surrogates), bounded depth.
            return Vc.Credentials.Json.JsonInput.ParseObject(text, MaxBytes, 64);
        }
        catch (Vc.Credentials.Verification.CredentialException e)
        {
            throw new InputException($"{path}: {e.Detail}", e);
        }
    }
}
