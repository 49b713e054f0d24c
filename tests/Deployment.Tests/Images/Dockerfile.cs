namespace Playbooks.Deployment.Tests.Images;

/// <summary>A Dockerfile read as its instructions, grouped by build stage (each FROM starts one).</summary>
public sealed class Dockerfile
{
    private Dockerfile(string path, IReadOnlyList<IReadOnlyList<Instruction>> stages)
    {
        Path = path;
        Stages = stages;
    }

    public string Path { get; }

    public IReadOnlyList<IReadOnlyList<Instruction>> Stages { get; }

    public IReadOnlyList<Instruction> FinalStage => Stages[^1];

    public static Dockerfile Read(string path)
    {
        // Continuation lines joined, comments (and the # syntax directive) dropped.
        var text = File.ReadAllText(path).Replace("\\\r\n", " ").Replace("\\\n", " ");
        var stages = new List<List<Instruction>>();
        foreach (var line in text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')))
        {
            var space = line.IndexOf(' ');
            var instruction = new Instruction(line[..space].ToUpperInvariant(), line[(space + 1)..].Trim());
            if (instruction.Keyword == "FROM") stages.Add([]);
            if (stages.Count == 0) throw new InvalidOperationException($"{path}: '{line}' comes before any FROM");
            stages[^1].Add(instruction);
        }
        return new Dockerfile(path, stages);
    }

    public override string ToString() => Path;
}

/// <summary>One Dockerfile instruction, e.g. ("COPY", "libraries/ libraries/").</summary>
public sealed record Instruction(string Keyword, string Arguments);
