namespace Vc.Node.Tests;

/// <summary>
/// The tests' clock, in one of two kinds: <see cref="Standing"/> stays at a time the test sets or advances;
/// <see cref="Wall"/> is the wall clock, never earlier than a floor the test raises (<see cref="NotBefore"/>) — how a
/// test catches up with a dev chain that stamps blocks ahead of the wall clock instead of waiting for it.
/// Only <see cref="GetUtcNow"/> is overridden: timers and Task.Delay on this clock stay real.
/// </summary>
public sealed class TestClock : TimeProvider
{
    private readonly bool _followsWall;
    // A standing clock's time, or the wall clock's floor, in UTC ticks: one long, so a node's threads reading the
    // clock while the test moves it never see a torn value.
    private long _ticks;

    private TestClock(bool followsWall, long ticks) => (_followsWall, _ticks) = (followsWall, ticks);

    /// <summary>A clock standing at <paramref name="start"/> until the test moves it.</summary>
    public static TestClock Standing(DateTimeOffset start) => new(followsWall: false, start.UtcTicks);

    /// <summary>The wall clock, with no floor yet.</summary>
    public static TestClock Wall() => new(followsWall: true, 0);

    public override DateTimeOffset GetUtcNow()
    {
        var ticks = Interlocked.Read(ref _ticks);
        if (!_followsWall) return new DateTimeOffset(ticks, TimeSpan.Zero);
        var wall = TimeProvider.System.GetUtcNow();
        return wall.UtcTicks >= ticks ? wall : new DateTimeOffset(ticks, TimeSpan.Zero);
    }

    /// <summary>The time now; set only on a standing clock (a wall clock is moved by <see cref="NotBefore"/>).</summary>
    public DateTimeOffset Now
    {
        get => GetUtcNow();
        set
        {
            if (_followsWall) throw new InvalidOperationException("the wall clock is not set, only given a floor (NotBefore)");
            Interlocked.Exchange(ref _ticks, value.UtcTicks);
        }
    }

    public void Advance(TimeSpan by) => Now += by;

    /// <summary>From now on the wall clock reads no earlier than <paramref name="floor"/> (a floor only rises).</summary>
    public void NotBefore(DateTimeOffset floor)
    {
        if (!_followsWall) throw new InvalidOperationException("a standing clock is set (Now), not given a floor");
        var current = Interlocked.Read(ref _ticks);
        while (floor.UtcTicks > current)
        {
            var seen = Interlocked.CompareExchange(ref _ticks, floor.UtcTicks, current);
            if (seen == current) return;
            current = seen;
        }
    }
}
