namespace Cake.DoMarketplace.Tests.Support;

/// <summary>
/// Tests that leave a crashed local cloud's leftovers on the machine on purpose: any local cloud starting meanwhile
/// would rightly remove them, so these run alone, after the parallel ones.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MachineWideRecovery
{
    public const string Name = "Machine-wide recovery";
}
