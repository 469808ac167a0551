namespace Cake.DoMarketplace.LocalCloud.Machines;

/// <summary>The last lines a machine printed on its console, kept to explain a boot that failed.</summary>
internal sealed class ConsoleTail(int capacity = 60)
{
    private readonly Queue<string> lines = new();

    public void Add(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (lines)
        {
            lines.Enqueue(line);
            if (lines.Count > capacity)
            {
                lines.Dequeue();
            }
        }
    }

    public override string ToString()
    {
        lock (lines)
        {
            return string.Join('\n', lines);
        }
    }
}
