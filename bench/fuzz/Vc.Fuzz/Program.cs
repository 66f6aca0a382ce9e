using SharpFuzz;
using Vc.Fuzz;

// Vc.Fuzz TARGET            : AFL++ persistent-mode loop over one target (run by bench/fuzz/run.sh under afl-fuzz)
// Vc.Fuzz TARGET FILE…      : runs files through the target once each, printing the outcome (reproducing a finding)
// Vc.Fuzz --list            : the targets
// Vc.Fuzz --make-seeds DIR  : writes the generated seeds (gateway list + its anchor, ERC-1056 logs, QR images)
if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.Error.WriteLine("usage: Vc.Fuzz TARGET [FILE…] | --list | --make-seeds DIR");
    return 2;
}
if (args[0] == "--list")
{
    foreach (var t in FuzzTargets.All) Console.WriteLine($"{t.Name}\t{t.What}");
    return 0;
}
if (args[0] == "--make-seeds" && args.Length == 2)
{
    Seeds.Write(args[1]);
    return 0;
}
var target = FuzzTargets.Find(args[0]);
if (target is null)
{
    Console.Error.WriteLine($"unknown target '{args[0]}' (--list)");
    return 2;
}
if (args.Length > 1)
{
    foreach (var file in args.Skip(1))
        Console.WriteLine($"{file}\t{target.Run(File.ReadAllBytes(file))}");
    return 0;
}

// No warm-up before the loop: instrumented code may run only once Fuzzer.Run has mapped AFL's coverage memory.
Fuzzer.Run(stream =>
{
    using var copy = new MemoryStream();
    stream.CopyTo(copy);
    target.Run(copy.ToArray());
});
return 0;
