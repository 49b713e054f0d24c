namespace Playbooks.Engine.Definitions;

/// <summary>One thing wrong with a definition: where (a JSON path such as <c>$.activities[3].inputs.title</c>) and what to fix.</summary>
public sealed record DefinitionProblem(string Path, string Message);
