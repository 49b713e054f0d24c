using Microsoft.AspNetCore.Builder;

namespace Playbooks.ServiceDefaults.Hosting;

/// <summary>How a service process begins.</summary>
public static class ServiceHost
{
    /// <summary>
    /// The builder, with the service's own folder as its content root rather than the directory it was started from:
    /// the configuration watcher watches the content root's whole tree, and <c>./playbooks distributed</c> starts every
    /// service from the repository, where PostgreSQL keeps its data files, so each of their writes woke six processes.
    /// </summary>
    public static WebApplicationBuilder CreateBuilder(string[] args) =>
        WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
}
