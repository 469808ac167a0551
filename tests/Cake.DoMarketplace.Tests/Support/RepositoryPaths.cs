namespace Cake.DoMarketplace.Tests.Support;

/// <summary>Finds the repository root (the folder with Cake.DoMarketplace.sln) from the test's output folder.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = Find();

    public static string AddinProject => Path.Combine(Root, "src", "Cake.DoMarketplace", "Cake.DoMarketplace.csproj");

    public static string LocalCloudProject => Path.Combine(Root, "src", "Cake.DoMarketplace.LocalCloud", "Cake.DoMarketplace.LocalCloud.csproj");

    /// <summary>The pinned Cake 7 runner from the Cake.Tool package the projects already download.</summary>
    public static string CakeDll
    {
        get
        {
            var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                           ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            var path = Path.Combine(packages, "cake.tool", "7.0.0", "tools", "net10.0", "any", "Cake.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException($"Cake 7 runner not found at {path}; run 'dotnet restore' first.");
        }
    }

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Cake.DoMarketplace.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Repository root (Cake.DoMarketplace.sln) not found above " + AppContext.BaseDirectory);
    }
}
