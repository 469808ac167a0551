using Cake.Core;
using Cake.Core.IO;
using NSubstitute;

namespace Cake.DoMarketplace.Tests.Support;

/// <summary>
/// An <see cref="ICakeContext"/> for calling aliases directly: a recording log, a working folder, an environment, and
/// Cake's real file system unless a test gives its own.
/// </summary>
public static class TestCakeContext
{
    public static ICakeContext Create(RecordingLog log, string workingDirectory, IReadOnlyDictionary<string, string>? environment = null,
        IFileSystem? fileSystem = null)
    {
        var cakeEnvironment = Substitute.For<ICakeEnvironment>();
        cakeEnvironment.WorkingDirectory.Returns(new DirectoryPath(workingDirectory));
        cakeEnvironment.GetSpecialPath(SpecialPath.LocalTemp).Returns(new DirectoryPath(System.IO.Path.GetTempPath()));
        cakeEnvironment.GetEnvironmentVariable(Arg.Any<string>()).Returns(call => environment?.GetValueOrDefault(call.Arg<string>()));
        var context = Substitute.For<ICakeContext>();
        context.Log.Returns(log);
        context.Environment.Returns(cakeEnvironment);
        context.FileSystem.Returns(fileSystem ?? new FileSystem());
        return context;
    }
}
