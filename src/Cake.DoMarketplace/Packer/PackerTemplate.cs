namespace Cake.DoMarketplace.Packer;

/// <summary>A Packer JSON template, read and checked whole before anything is created.</summary>
/// <param name="Path">The template's path as the caller gave it.</param>
/// <param name="Builder">The one <c>digitalocean</c> builder.</param>
/// <param name="Provisioners">The provisioners that run for this builder, in order: <see cref="ShellProvisioner"/>s and <see cref="FileProvisioner"/>s, each
/// with its place (<c>provisioners[3]</c>).</param>
/// <param name="Expressions">The template's expressions, for <c>execute_command</c> at run time.</param>
internal sealed record PackerTemplate(
    string Path,
    DigitalOceanBuilder Builder,
    IReadOnlyList<(string Place, object Provisioner)> Provisioners,
    TemplateExpressions Expressions);
