using Cake.DoMarketplace.Tests.Support;

namespace Cake.DoMarketplace.Tests.Unit;

/// <summary>The fast suite stays runnable without root: a class that takes a real sshd or local cloud is Integration.</summary>
public sealed class SuiteSplitTests
{
    [Fact]
    public void Every_class_with_an_sshd_or_local_cloud_fixture_is_in_the_integration_suite()
    {
        var fixtures = new[] { typeof(SshdFixture), typeof(LocalCloudFixture) };
        var classes = typeof(SuiteSplitTests).Assembly.GetTypes()
            .Where(t
                => t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IClassFixture<>)
                && fixtures.Contains(i.GetGenericArguments()[0])))
            .ToList();

        Assert.True(classes.Count >= 10, "expected the sshd and local cloud test classes, found " + classes.Count);
        var fast = classes
            .Where(t
                => !t.CustomAttributes.Any(a => a.AttributeType == typeof(TraitAttribute)
                && a.ConstructorArguments.Select(c => c.Value).SequenceEqual(new object[] { "Category", "Integration" })))
            .Select(t => t.FullName)
            .ToList();
        Assert.True(fast.Count == 0, "add [Trait(\"Category\", \"Integration\")] to: " + string.Join(", ", fast));
    }
}
