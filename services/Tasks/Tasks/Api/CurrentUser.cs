using Microsoft.AspNetCore.Http;

namespace Playbooks.Tasks.Api;

/// <summary>
/// Who is acting on a task. TEMPORARY: until the security issue puts authentication in the gateway, the caller says
/// who they are in the <c>X-User</c> header (an email address), and a request without it acts as "anonymous".
/// Nothing checks it; do not expose the service beyond a trusted network until then.
/// </summary>
public sealed record CurrentUser(string Id)
{
    public const string Header = "X-User";
    public const string Anonymous = "anonymous";

    public static ValueTask<CurrentUser?> BindAsync(HttpContext context) =>
        ValueTask.FromResult<CurrentUser?>(new CurrentUser(UserIds.Normalize(context.Request.Headers[Header].ToString()) ?? Anonymous));
}
