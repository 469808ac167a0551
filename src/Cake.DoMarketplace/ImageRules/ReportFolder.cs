using Cake.Core.IO;

namespace Cake.DoMarketplace.ImageRules;

/// <summary>Where reports are written: an absolute folder, in the build script's file system (Cake's, or a test's fake).</summary>
/// <param name="Files">The file system the reports are written through.</param>
/// <param name="Path">The absolute folder.</param>
internal sealed record ReportFolder(IFileSystem Files, DirectoryPath Path);
