namespace Cake.DoMarketplace.Api.Models;

/// <summary>A droplet or image action.</summary>
public sealed class DoAction
{
    /// <summary>The action id.</summary>
    public long Id { get; set; }

    /// <summary><c>in-progress</c>, <c>completed</c> or <c>errored</c>.</summary>
    public string Status { get; set; } = string.Empty;

    /// <summary>The action type, for example <c>snapshot</c>.</summary>
    public string Type { get; set; } = string.Empty;

    /// <summary>When it started.</summary>
    public DateTimeOffset? StartedAt { get; set; }

    /// <summary>When it ended.</summary>
    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>The id of the droplet or image acted on.</summary>
    public long? ResourceId { get; set; }

    /// <summary><c>droplet</c> or <c>image</c>.</summary>
    public string? ResourceType { get; set; }

    /// <summary>The region of the action.</summary>
    public string? RegionSlug { get; set; }

    /// <summary>True once the action completed.</summary>
    public bool IsCompleted => Status == "completed";

    /// <summary>True if the action failed.</summary>
    public bool IsErrored => Status == "errored";
}
