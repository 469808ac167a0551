namespace Cake.DoMarketplace.Packer;

/// <summary>
/// One build of a Packer JSON template: one of its <c>digitalocean</c> builders with the provisioners that run for it. The
/// template is read and checked whole, every builder, before anything is created.
/// </summary>
/// <param name="Path">The template's path as the caller gave it.</param>
/// <param name="Place">The builder's place in the template (<c>builders[1]</c>), for errors about its fields.</param>
/// <param name="Builder">The <c>digitalocean</c> builder; its <see cref="DigitalOceanBuilder.Name"/> is <c>{{build_name}}</c>.</param>
/// <param name="Provisioners">The provisioners that run for this builder (after their <c>only</c>/<c>except</c>), in order:
/// <see cref="ShellProvisioner"/>s and <see cref="FileProvisioner"/>s, each with its place (<c>provisioners[3]</c>).</param>
/// <param name="Expressions">The builder's expressions (its <c>{{build_name}}</c>), for <c>execute_command</c> at run time.</param>
internal sealed record PackerTemplate(
    string Path,
    string Place,
    DigitalOceanBuilder Builder,
    IReadOnlyList<(string Place, object Provisioner)> Provisioners,
    TemplateExpressions Expressions);
