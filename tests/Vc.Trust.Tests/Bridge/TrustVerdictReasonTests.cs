using Vc.Trust.Bridge;

namespace Vc.Trust.Tests.Bridge;

public sealed class TrustVerdictReasonTests
{
    [Fact]
    public void Every_registry_reason_has_a_verdict_reason_of_the_same_name()
    {
        // TrustService maps registry decisions to verdicts by name: a reason added to one enum only would throw at run time.
        foreach (var reason in Enum.GetNames<TrustReason>())
            Assert.True(Enum.TryParse<TrustVerdictReason>(reason, out _), $"TrustVerdictReason lacks {reason}");
    }
}
