using System.Runtime.CompilerServices;

namespace Vc.Node.Tests;

internal static class TestEnvironment
{
    /// <summary>Hardhat's and Anvil's first development account (a public test key: "test test … junk").</summary>
    internal const string DevAccountKey = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

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
