using Playbooks.Notifications.Templates;
using Xunit;

namespace Playbooks.Notifications.Tests.Templates;

public sealed class TemplateReferenceCheckerTests
{
    [Theory]
    [InlineData("Hi {{contact.name}} at {{account.name}}")]
    [InlineData("{{{account.name}}} {{& contact.email}}")]
    [InlineData("{{#each account.contacts}}{{name}} {{role}} {{@index}} {{../account.id}}{{/each}}")]
    [InlineData("{{#each account.contacts as |c i|}}{{c.email}} {{i}}{{/each}}")]
    [InlineData("{{#with account}}{{name}} {{#each contacts}}{{email}} {{../name}}{{/each}}{{/with}}")]
    [InlineData("{{#if task.dueAt}}{{formatDate task.dueAt \"yyyy-MM-dd\"}}{{else}}no date{{/if}}")]
    [InlineData("{{#each account.contacts}}{{#if role}}{{../account.name}}{{/if}}{{/each}}")]
    [InlineData("{{default (lookup account.custom \"tier\") \"standard\"}}")]
    [InlineData("{{event.anything.at.all}} {{vars.x}} {{account.custom.[tier one]}} {{account.contacts.[0].name}}")]
    [InlineData("{{@root.instance.playbookName}} {{this.account.name}} {{./contact.role}}")]
    [InlineData("\\{{not.a.variable}} {{! {{comment}} }} {{!-- {{long.comment}} --}}")]
    [InlineData("{{~account.name~}}")]
    public void Known_variables_pass(string template) =>
        Assert.Empty(TemplateReferenceChecker.Check(template));

    [Theory]
    [InlineData("Hi {{contact.nmae}}", "Unknown variable 'contact.nmae': contact has no field 'nmae'")]
    [InlineData("line one\n\n{{acount}}", "line 3: Unknown variable 'acount'")]
    [InlineData("{{#each account.contacts}}{{nmae}}{{/each}}", "contact has no field 'nmae'")]
    [InlineData("{{#each account.contacts as |c|}}{{c.mail}}{{/each}}", "contact has no field 'mail'")]
    [InlineData("{{#each account.contacts}}{{../account.nam}}{{/each}}", "account has no field 'nam'")]
    [InlineData("{{#each account.contacts}}{{else}}{{nope}}{{/each}}", "Unknown variable 'nope'")]
    [InlineData("{{#if x}}{{/if}}", "Unknown variable 'x'")]
    [InlineData("{{formatDate task.due}}", "task has no field 'due'")]
    [InlineData("{{default (lookup account.nope \"x\") \"y\"}}", "account has no field 'nope'")]
    [InlineData("{{account.name.first}}", "account.name is a single value with no field 'first'")]
    [InlineData("{{#each account.name}}{{/each}}", "#each needs a list")]
    [InlineData("{{#account}}{{/account}}", "Unknown block")]
    [InlineData("{{@index.x}} {{@foo}}", "Unknown data variable '@foo'")]
    [InlineData("{{../account.name}}", "climbs with '../' above the template's variables")]
    [InlineData("{{@root.acount.name}}", "Unknown variable '@root.acount.name'")]
    [InlineData("{{account.name \"extra\"}}", "Unknown helper 'account.name'")]
    public void Unknown_variables_are_named(string template, string expected)
    {
        var problems = TemplateReferenceChecker.Check(template);

        Assert.Contains(problems, problem => problem.Contains(expected));
    }
}
