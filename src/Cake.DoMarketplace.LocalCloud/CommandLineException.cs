namespace Cake.DoMarketplace.LocalCloud;

/// <summary>A command line the local cloud cannot run with: the message names the option or variable and the fix.</summary>
internal sealed class CommandLineException(string message) : Exception(message);
