using System.Text.Json;

namespace Playbooks.Engine.Activities;

/// <summary>One input of an activity, as the designer's property panel shows it and as validation checks it.</summary>
public sealed record InputDescriptor(
    string Name,
    string DisplayName,
    InputKind Kind,
    string Description,
    bool Required = false,
    IReadOnlyList<string>? Options = null,
    JsonElement? Default = null)
{
    /// <summary>Every input but an expression itself may also be given as <c>{ "js": "…" }</c>.</summary>
    public bool ExpressionCapable => Kind != InputKind.Expression;

    public string UiHint => Kind switch
    {
        InputKind.Text => "text",
        InputKind.Template => "template",
        InputKind.Number => "number",
        InputKind.Boolean => "checkbox",
        InputKind.Duration => "duration",
        InputKind.Date => "date-expression",
        InputKind.Expression => "javascript",
        InputKind.Choice => "dropdown",
        InputKind.List => "string-list",
        _ => "json",
    };

    public static JsonElement Json(object value) => JsonSerializer.SerializeToElement(value, JsonSerializerOptions.Web);
}
