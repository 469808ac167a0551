namespace Cake.DoMarketplace.LocalCloud;

/// <summary>How fast the local cloud's droplets and actions move (<see cref="LocalCloudOptions.Pace"/>, <c>--pace</c>).</summary>
public enum LocalCloudPace
{
    /// <summary>As fast as this machine: a droplet is active once its sshd listens, an action ends when its work does.</summary>
    Machine,

    /// <summary>
    /// At DigitalOcean's pace: a create, power-off, snapshot or transfer takes at least as long as on DigitalOcean (times
    /// <see cref="LocalCloudOptions.PaceFactor"/>), and the token's rate limits are DigitalOcean's. docs/local-cloud.md
    /// says where each figure comes from.
    /// </summary>
    DigitalOcean,
}
