using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;

namespace Playbooks.Deployment.Tests.Rendering;

/// <summary>
/// Renders an overlay with <c>kubectl kustomize</c>, as <c>kubectl apply -k</c> would, once per test run.
/// Set KUBECTL to use another binary (e.g. Debian's kubectl 1.20, which CI installs).
/// </summary>
public static class Kustomize
{
    private static readonly ConcurrentDictionary<string, Lazy<RenderedOverlay>> Rendered = new();

    public static RenderedOverlay Overlay(string name) =>
        Rendered.GetOrAdd(name, key => new Lazy<RenderedOverlay>(() => Render(key))).Value;

    private static RenderedOverlay Render(string overlay)
    {
        var kubectl = Environment.GetEnvironmentVariable("KUBECTL") is { Length: > 0 } configured ? configured : "kubectl";
        var directory = RepositoryRoot.Combine("k8s", "overlays", overlay);
        var start = new ProcessStartInfo(kubectl)
        {
            ArgumentList = { "kustomize", directory },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception error)
        {
            throw new InvalidOperationException(
                $"Cannot run '{kubectl}' ({error.Message}). These tests render k8s/overlays with `kubectl kustomize`: " +
                "install kubectl (on Debian: apt-get install kubernetes-client) or set KUBECTL to its path.", error);
        }
        using (process)
        {
            var error = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"`{kubectl} kustomize {directory}` failed ({process.ExitCode}): {error.Result}");
            return RenderedOverlay.Parse(overlay, output);
        }
    }
}
