namespace Cake.DoMarketplace.Ssh;

/// <summary>What a folder upload copied.</summary>
/// <param name="Files">Files written.</param>
/// <param name="Directories">Folders created or reused.</param>
/// <param name="Bytes">Bytes written.</param>
public sealed record UploadSummary(int Files, int Directories, long Bytes);
