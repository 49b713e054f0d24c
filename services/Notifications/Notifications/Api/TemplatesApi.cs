using Playbooks.ServiceDefaults.Security;
using System.Text.Json;
using HandlebarsDotNet;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Playbooks.Notifications.Templates;
using Playbooks.Storage.Audit;

namespace Playbooks.Notifications.Api;

/// <summary><c>/api/notifications/templates</c>: what CS Ops write, and a preview of it filled with sample data.</summary>
public static class TemplatesApi
{
    public static RouteGroupBuilder MapTemplatesApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/templates").WithTags("Templates").RequireAuthorization(Access.ManageTemplates);
        group.MapGet("/", ListAsync);
        group.MapGet("/{id}", GetAsync);
        group.MapPost("/", CreateAsync);
        group.MapPut("/{id}", SaveAsync);
        group.MapDelete("/{id}", DeleteAsync);
        group.MapPost("/{id}/preview", PreviewAsync);
        group.MapPost("/preview", PreviewUnsaved);
        return group;
    }

    private static async Task<Ok<IReadOnlyList<NotificationTemplate>>> ListAsync(TemplateStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(await store.ListAsync(cancellationToken));

    private static async Task<Results<Ok<NotificationTemplate>, ProblemHttpResult>> GetAsync(string id, TemplateStore store, CancellationToken cancellationToken) =>
        await store.FindAsync(id, cancellationToken) is { } template ? TypedResults.Ok(template) : ApiProblems.NotFound(NoTemplate(id));

    private static async Task<Results<Created<NotificationTemplate>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        TemplateInput input, Actor actor, AuditTrail audit, TemplateStore store, TemplateValidator validator, CancellationToken cancellationToken)
    {
        var problems = validator.Validate(input);
        if (problems.Count > 0) return ApiProblems.Invalid(problems, "The template cannot be saved");
        if (!await store.AddAsync(input, shipped: false, cancellationToken))
            return ApiProblems.Conflict("Template exists", $"A template with id '{input.Id}' exists; change it with PUT /api/notifications/templates/{input.Id}.");
        var created = (await store.FindAsync(input.Id!, cancellationToken))!;
        await audit.RecordAsync(actor, "template.created", Subject(input.Id!), null, created, cancellationToken);
        return TypedResults.Created($"/api/notifications/templates/{input.Id}", created);
    }

    // PUT creates the template when the id is new, so a playbook's templates can be provisioned idempotently.
    private static async Task<Results<Ok<NotificationTemplate>, Created<NotificationTemplate>, ValidationProblem>> SaveAsync(
        string id, TemplateInput input, Actor actor, AuditTrail audit, TemplateStore store, TemplateValidator validator, CancellationToken cancellationToken)
    {
        if (input.Id is not null && input.Id != id)
            return ApiProblems.Invalid("id", $"The body's id '{input.Id}' differs from the URL's '{id}'; ids cannot be renamed.", "The template cannot be saved");
        input = input with { Id = id };
        var problems = validator.Validate(input);
        if (problems.Count > 0) return ApiProblems.Invalid(problems, "The template cannot be saved");
        var before = await store.FindAsync(id, cancellationToken);
        if (await store.UpdateAsync(input, cancellationToken))
        {
            var saved = (await store.FindAsync(id, cancellationToken))!;
            await audit.RecordAsync(actor, "template.saved", Subject(id), before, saved, cancellationToken);
            return TypedResults.Ok(saved);
        }
        await store.AddAsync(input, shipped: false, cancellationToken);
        var created = (await store.FindAsync(id, cancellationToken))!;
        await audit.RecordAsync(actor, "template.created", Subject(id), null, created, cancellationToken);
        return TypedResults.Created($"/api/notifications/templates/{id}", created);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string id, Actor actor, AuditTrail audit, TemplateStore store, CancellationToken cancellationToken)
    {
        var template = await store.FindAsync(id, cancellationToken);
        if (template is null) return ApiProblems.NotFound(NoTemplate(id));
        if (template.Shipped)
            return ApiProblems.Conflict("Shipped template", $"'{id}' ships with Playbooks and the shipped playbooks send it; change it with PUT instead of deleting it.");
        await store.DeleteAsync(id, cancellationToken);
        await audit.RecordAsync(actor, "template.deleted", Subject(id), template, null, cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>Renders a saved template with the sample data, overridden by the body's <c>account</c>, <c>contact</c>, <c>task</c>, <c>instance</c>, <c>event</c> or <c>vars</c>.</summary>
    private static async Task<Results<Ok<RenderedMessage>, ValidationProblem, ProblemHttpResult>> PreviewAsync(
        string id, Dictionary<string, JsonElement>? sample, TemplateStore store, TemplateRenderer renderer, CancellationToken cancellationToken)
    {
        var template = await store.FindAsync(id, cancellationToken);
        if (template is null) return ApiProblems.NotFound(NoTemplate(id));
        return Render(renderer.Compile(template), sample);
    }

    private static Results<Ok<RenderedMessage>, ValidationProblem, ProblemHttpResult> PreviewUnsaved(
        UnsavedPreview preview, TemplateRenderer renderer, TemplateValidator validator)
    {
        if (preview.Template is null) return ApiProblems.Invalid("template", "Send the template to preview in 'template'.", "Nothing to preview");
        var template = preview.Template with { Id = preview.Template.Id ?? "preview", Name = preview.Template.Name ?? "Preview" };
        var problems = validator.Validate(template);
        if (problems.Count > 0) return ApiProblems.Invalid(problems, "The template has problems");
        return Render(renderer.Compile(template.Subject, template.TextBody!, template.HtmlBody), preview.Sample);
    }

    private static Results<Ok<RenderedMessage>, ValidationProblem, ProblemHttpResult> Render(CompiledTemplate template, Dictionary<string, JsonElement>? sample)
    {
        var model = TemplateModel.ForRecipient(TemplateModel.Shared(SampleData.Request), SampleData.Contact);
        foreach (var (name, value) in sample ?? [])
        {
            if (!TemplateVariables.Roots.Contains(name))
                return ApiProblems.Invalid(name, $"'{name}' is not a template variable; sample data can set {string.Join(", ", TemplateVariables.Roots)}.", "Unknown sample variable");
            model[name] = Merge(model.GetValueOrDefault(name), TemplateModel.FromJson(value));
        }
        try
        {
            return TypedResults.Ok(template.Render(model));
        }
        catch (HandlebarsException error)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "The template failed to render", detail: error.Message);
        }
    }

    // A sample that sets account.name keeps the rest of the sample account.
    private static object? Merge(object? sample, object? given) =>
        sample is Dictionary<string, object?> known && given is Dictionary<string, object?> changes
            ? new Dictionary<string, object?>(known.Concat(changes).GroupBy(pair => pair.Key).Select(group => group.Last()), StringComparer.Ordinal)
            : given;

    private static string Subject(string templateId) => $"template:{templateId}";

    private static string NoTemplate(string id) => $"No template '{id}'. GET /api/notifications/templates lists them.";

    public sealed record UnsavedPreview(TemplateInput? Template, Dictionary<string, JsonElement>? Sample);
}
