namespace Vc.Interop.Hcert;

/// <summary>A shape the verifier accepted although the specification wants another one (WHO DVC/ICVP material
/// variants, a DER-encoded ECDSA signature…): <paramref name="Field"/> names where, <paramref name="Message"/> what.
/// A warning never makes a certificate valid or invalid; it is reported beside the outcome.</summary>
public sealed record HcertWarning(string Field, string Message);
