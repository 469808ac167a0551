/// <summary>
/// One row of the --at-pace benchmark: <paramref name="Builds"/> images built by <paramref name="Tool"/> in one case
/// (one process, or several started together), against a local cloud with <paramref name="Limits"/>.
/// </summary>
/// <param name="Images">Snapshots the cloud holds after the row that it did not before: the builds that succeeded.</param>
/// <param name="Exits">Each process's exit code.</param>
/// <param name="TooManyRequests">Requests the cloud answered 429 during the row.</param>
internal sealed record PacedRun(
    int Round, string Case, string Limits, string Tool, int Builds, double Seconds, IReadOnlyList<double> ProcessSeconds,
    IReadOnlyList<int> Exits, long Requests, long TooManyRequests, int Images)
{
    /// <summary>Every process exited 0 and every build left its snapshot.</summary>
    public bool Succeeded => Exits.All(e => e == 0) && Images == Builds;

    public double RequestsPerBuild => (double)Requests / Builds;
}
