namespace Vc.Interop.Tests;

/// <summary>A clock that stays where the test put it.</summary>
internal sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
