using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.FileProviders;

namespace Playbooks.Gateway.WebUi;

/// <summary>Serves the web app's built files at <c>/</c>; unknown non-API paths fall back to its index page (client-side routes).</summary>
internal static class WebUiFeature
{
    public const string WebRootKey = "Playbooks:WebRoot";

    public static void MapWebUi(this WebApplication app)
    {
        var root = app.Configuration[WebRootKey] is { Length: > 0 } configured
            ? Path.GetFullPath(configured)
            : Path.Combine(AppContext.BaseDirectory, "wwwroot");
        var files = new PhysicalFileProvider(root);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = files });
        app.MapFallback("/api/{**rest}", (HttpContext context) => TypedResults.Problem(
            statusCode: StatusCodes.Status404NotFound,
            title: "Unknown API",
            detail: $"No API at '{context.Request.Path}'. The APIs are under /api/engine, /api/tasks, /api/notifications and /api/metrics.")).AllowAnonymous();
        // The app itself is public; it signs the person in before calling any API.
        app.MapFallbackToFile("index.html", new StaticFileOptions { FileProvider = files }).AllowAnonymous();
    }
}
