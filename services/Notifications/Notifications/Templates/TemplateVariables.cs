namespace Playbooks.Notifications.Templates;

/// <summary>
/// The variables a template can use and, for the structured ones, their fields. Names are camelCase and
/// case-sensitive, as Handlebars resolves them.
/// </summary>
public static class TemplateVariables
{
    public static readonly IReadOnlyList<string> Roots = ["account", "contact", "task", "instance", "event", "vars"];

    /// <summary>Helpers usable inline, <c>{{formatDate account.renewalDate "MMMM d"}}</c>.</summary>
    public static readonly IReadOnlyList<string> InlineHelpers = ["formatDate", "default", "lookup", "log"];

    /// <summary>Helpers usable as blocks, <c>{{#each account.contacts}}…{{/each}}</c>.</summary>
    public static readonly IReadOnlyList<string> BlockHelpers = ["if", "unless", "each", "with"];

    /// <summary><c>@index</c> and friends, valid inside <c>#each</c>.</summary>
    public static readonly IReadOnlyList<string> DataVariables = ["@index", "@key", "@first", "@last"];

    internal static readonly VariableShape Contact = VariableShape.Object("contact", "name", "email", "role");

    internal static readonly VariableShape Account = VariableShape
        .Object("account", "id", "name", "ownerCsm", "csmManager", "team", "segment", "arr", "renewalDate", "healthScore", "lifecycleStage", "timeZone")
        .With("contacts", VariableShape.ListOf("account.contacts", Contact))
        .With("custom", VariableShape.Anything("account.custom"));

    internal static readonly VariableShape Task = VariableShape.Object("task", "id", "title", "description", "dueAt", "assignee", "priority", "status", "outcome", "url");

    internal static readonly VariableShape Instance = VariableShape.Object("instance", "id", "definitionId", "playbookName", "activityId");

    internal static readonly VariableShape Root = VariableShape.Object("the template")
        .With("account", Account)
        .With("contact", Contact)
        .With("task", Task)
        .With("instance", Instance)
        .With("event", VariableShape.Anything("event"))
        .With("vars", VariableShape.Anything("vars"));
}
