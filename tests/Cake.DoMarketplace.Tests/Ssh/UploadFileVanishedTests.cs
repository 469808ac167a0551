using Cake.Core.IO;
using Cake.DoMarketplace.Droplets;
using Cake.DoMarketplace.Ssh;
using Cake.DoMarketplace.Tests.Support;
using NSubstitute;
using NSubstitute.ExceptionExtensions;

namespace Cake.DoMarketplace.Tests.Ssh;

/// <summary>
/// <c>DoUploadFile</c> checks that its file exists, then opens it: a file gone in between is the addin's
/// <see cref="LocalFileUnreadableException"/> naming it, never the file system's own exception, and nothing is sent.
/// </summary>
public sealed class UploadFileVanishedTests
{
    [Fact]
    public void A_file_that_vanishes_between_the_check_and_the_open_is_named_and_nothing_is_uploaded()
    {
        var file = Substitute.For<IFile>();
        file.Exists.Returns(true);
        file.UnixFileMode.Returns((UnixFileMode?)null);
        file.Open(Arg.Any<FileMode>(), Arg.Any<FileAccess>(), Arg.Any<FileShare>()).Throws(new FileNotFoundException("gone", "/work/app.conf"));
        var fileSystem = Substitute.For<IFileSystem>();
        fileSystem.GetFile(Arg.Any<FilePath>()).Returns(file);
        var context = TestCakeContext.Create(new RecordingLog(), "/work", fileSystem: fileSystem);
        var session = new FakeSession();
        var droplet = new BuildDroplet(9, "build", "192.0.2.10", "nyc3", "debian-12-x64", "s-1vcpu-512mb-10gb", session);

        var error = Assert.Throws<LocalFileUnreadableException>(() => context.DoUploadFile(droplet, "app.conf", "/etc/app.conf"));

        Assert.Contains("could not read the local /work/app.conf", error.Message);
        Assert.IsType<FileNotFoundException>(error.InnerException);
        Assert.Empty(session.Files);
    }
}
