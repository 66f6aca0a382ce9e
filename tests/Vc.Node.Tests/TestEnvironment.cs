using System.Runtime.CompilerServices;

namespace Vc.Node.Tests;

internal static class TestEnvironment
{
    /// <summary>
    /// These tests run nodes on loopback over plain http (status lists fetched from one another): the development
    /// switch allows exactly that; OutboundGuardTests build nodes with the production policy explicitly.
    /// </summary>
#pragma warning disable CA2255 // a test assembly's process-wide set-up, before any node or command runs
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void AllowLoopbackHttp() =>
        Environment.SetEnvironmentVariable(Vc.Did.Net.OutboundPolicy.DevEnvironmentVariable, "loopback");
}
