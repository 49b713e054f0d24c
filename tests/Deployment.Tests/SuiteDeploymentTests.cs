using Playbooks.Deployment.Tests.Rendering;
using Playbooks.Gateway;
using Playbooks.Gateway.Routing;
using Playbooks.Messaging.Redis;
using Playbooks.ServiceDefaults.Hosting;
using Playbooks.ServiceDefaults.Security;
using Playbooks.Storage;
using Xunit;

namespace Playbooks.Deployment.Tests;

/// <summary>The gateway's and the four services' Deployments, as each overlay renders them.</summary>
public sealed class SuiteDeploymentTests
{
    private static readonly string[] SuiteNames = [GatewayExtensions.Name, .. SuiteServices.Names];

    private static readonly string ModeVariable = $"{PlaybooksOptions.Section}__{nameof(PlaybooksOptions.Mode)}";
    private static readonly string PostgresVariable = $"ConnectionStrings__{StorageExtensions.PostgresConnectionName}";
    private static readonly string RedisVariable = $"ConnectionStrings__{RedisBusExtensions.ConnectionName}";
    private static readonly string AuthPrefix = AuthOptions.Section.Replace(":", "__", StringComparison.Ordinal);
    private static readonly string SigningKeyVariable = $"{AuthPrefix}__{nameof(AuthOptions.SigningKey)}";
    private static readonly string DevSignInVariable = $"{AuthPrefix}__{nameof(AuthOptions.DevSignIn)}";

    // What k8s/README.md tells an operator to create for prod (`kubectl create secret generic playbooks-auth --from-literal=signing-key=…`).
    private const string AuthSecret = "playbooks-auth";
    private const string SigningKeySecretKey = "signing-key";

    [Theory]
    [ClassData(typeof(Overlays))]
    public void Overlay_deploys_the_gateway_and_every_service_the_gateway_routes_to(string overlay)
    {
        var deployed = Kustomize.Overlay(overlay).SuiteDeployments.Select(d => d.Name).Order().ToList();

        Assert.Equal(SuiteNames.Order(), deployed);
    }

    [Theory]
    [ClassData(typeof(Overlays))]
    public void Every_suite_deployment_probes_kestrels_port_with_a_startup_probe_in_front(string overlay)
    {
        var problems = new Problems();
        foreach (var deployment in Kustomize.Overlay(overlay).SuiteDeployments)
        {
            var container = deployment.MainContainer;
            var env = container.Environment;
            var kestrelPort = env.TryGetValue("ASPNETCORE_HTTP_PORTS", out var port) ? port.Value : null;
            problems.Check(kestrelPort == "8080", $"{deployment}: ASPNETCORE_HTTP_PORTS is '{kestrelPort}', not 8080");
            problems.Check(container.Ports.Any(p => p.Number.ToString() == kestrelPort), $"{deployment}: no containerPort {kestrelPort}");

            foreach (var probe in new[] { "startupProbe", "livenessProbe", "readinessProbe" })
            {
                var httpGet = container.Node.Get(probe).Get("httpGet");
                problems.Check(httpGet is not null, $"{deployment}: no HTTP {probe}");
                var probed = container.ResolvePort(httpGet.Text("port"));
                problems.Check(probed?.ToString() == kestrelPort, $"{deployment}: {probe} targets port '{httpGet.Text("port")}', not Kestrel's {kestrelPort}");
            }
            // The startup probe must allow at least as long as liveness would, or a slow start gets killed.
            var startup = container.Node.Get("startupProbe");
            var budget = int.Parse(startup.Text("periodSeconds") ?? "10") * int.Parse(startup.Text("failureThreshold") ?? "3");
            problems.Check(budget >= 30, $"{deployment}: startup probe gives only {budget} s to start");
        }
        problems.AssertNone($"Probes in the {overlay} overlay");
    }

    [Theory]
    [ClassData(typeof(Overlays))]
    public void Every_suite_deployment_requests_and_limits_cpu_and_memory(string overlay)
    {
        var problems = new Problems();
        foreach (var deployment in Kustomize.Overlay(overlay).SuiteDeployments)
        {
            var resources = deployment.MainContainer.Node.Get("resources");
            foreach (var resource in new[] { "cpu", "memory" })
            {
                var request = resources.Text("requests", resource);
                var limit = resources.Text("limits", resource);
                problems.Check(request is not null, $"{deployment}: no {resource} request");
                problems.Check(limit is not null, $"{deployment}: no {resource} limit");
                if (request is not null && limit is not null)
                    problems.Check(Quantity.Parse(request) <= Quantity.Parse(limit), $"{deployment}: {resource} request {request} above its limit {limit}");
            }
        }
        problems.AssertNone($"Resources in the {overlay} overlay");
    }

    [Theory]
    [ClassData(typeof(Overlays))]
    public void Every_workload_runs_non_root_on_a_read_only_root_filesystem_with_nothing_extra(string overlay)
    {
        var problems = new Problems();
        // All of them, datastores and collector included: the namespaces enforce the "restricted" Pod Security profile.
        foreach (var workload in Kustomize.Overlay(overlay).Workloads)
        {
            var pod = workload.PodSpec.Get("securityContext");
            foreach (var container in workload.Containers)
            {
                var security = container.Node.Get("securityContext");
                var nonRoot = security.Text("runAsNonRoot") ?? pod.Text("runAsNonRoot");
                var user = security.Text("runAsUser") ?? pod.Text("runAsUser");
                var seccomp = security.Text("seccompProfile", "type") ?? pod.Text("seccompProfile", "type");
                problems.Check(nonRoot == "true", $"{workload}/{container}: runAsNonRoot is not true");
                problems.Check(user is null || user != "0", $"{workload}/{container}: runAsUser 0");
                problems.Check(security.Text("readOnlyRootFilesystem") == "true", $"{workload}/{container}: root filesystem is writable");
                problems.Check(security.Text("allowPrivilegeEscalation") == "false", $"{workload}/{container}: privilege escalation allowed");
                problems.Check(security.Items("capabilities", "drop").Any(c => c.Text() == "ALL"), $"{workload}/{container}: capabilities not dropped");
                problems.Check(security.Items("capabilities", "add").Count == 0, $"{workload}/{container}: adds capabilities");
                problems.Check(seccomp == "RuntimeDefault", $"{workload}/{container}: seccomp profile is '{seccomp}'");
                problems.Check(security.Text("privileged") != "true", $"{workload}/{container}: privileged");
            }
        }
        problems.AssertNone($"Security contexts in the {overlay} overlay");
    }

    [Theory]
    [ClassData(typeof(Overlays))]
    public void Every_suite_deployment_gets_a_writable_tmp_from_an_empty_dir(string overlay)
    {
        var problems = new Problems();
        foreach (var deployment in Kustomize.Overlay(overlay).SuiteDeployments)
        {
            var mount = deployment.MainContainer.Node.Items("volumeMounts").FirstOrDefault(m => m.Text("mountPath") == "/tmp");
            var volume = deployment.Volumes.FirstOrDefault(v => v.Text("name") == mount.Text("name"));
            problems.Check(mount is not null && volume.Get("emptyDir") is not null, $"{deployment}: /tmp is not an emptyDir volume");
        }
        problems.AssertNone($"Writable paths in the {overlay} overlay");
    }

    [Theory]
    [ClassData(typeof(Overlays))]
    public void Every_suite_deployment_runs_in_distributed_mode_and_exports_telemetry_as_itself(string overlay)
    {
        var rendered = Kustomize.Overlay(overlay);
        var problems = new Problems();
        foreach (var deployment in rendered.SuiteDeployments)
        {
            var env = deployment.MainContainer.Environment;
            var mode = env.GetValueOrDefault(ModeVariable)?.Value;
            problems.Check(mode == nameof(RunMode.Distributed), $"{deployment}: {ModeVariable} is '{mode}'");
            var serviceName = env.GetValueOrDefault("OTEL_SERVICE_NAME")?.Value;
            problems.Check(serviceName == deployment.Name, $"{deployment}: OTEL_SERVICE_NAME is '{serviceName}'");

            // The OTLP endpoint is a Service of this render that leads to the collector's OTLP port.
            var endpoint = env.GetValueOrDefault("OTEL_EXPORTER_OTLP_ENDPOINT")?.Value;
            problems.Check(endpoint is not null && ServiceRoutes.Reaches(rendered, new Uri(endpoint), "otel-collector"),
                $"{deployment}: OTEL_EXPORTER_OTLP_ENDPOINT '{endpoint}' does not reach the otel-collector Deployment");
        }
        problems.AssertNone($"Configuration in the {overlay} overlay");
    }

    [Theory]
    [ClassData(typeof(Overlays))]
    public void Every_service_reads_its_connection_strings_from_a_secret(string overlay)
    {
        var rendered = Kustomize.Overlay(overlay);
        var problems = new Problems();
        foreach (var service in SuiteServices.Names.Select(rendered.Deployment))
        {
            var env = service.MainContainer.Environment;
            foreach (var variable in new[] { PostgresVariable, RedisVariable })
            {
                var value = env.GetValueOrDefault(variable);
                problems.Check(value is { FromSecret: true, SecretKey: not null }, $"{service}: {variable} is not read from a Secret");
            }
        }
        problems.AssertNone($"Connection strings in the {overlay} overlay");
    }

    [Theory]
    [ClassData(typeof(Overlays))]
    public void Every_suite_deployment_reads_the_same_signing_key_from_one_secret_key(string overlay)
    {
        var rendered = Kustomize.Overlay(overlay);
        var problems = new Problems();
        var sources = new HashSet<(string?, string?)>();
        foreach (var deployment in rendered.SuiteDeployments)
        {
            var value = deployment.MainContainer.Environment.GetValueOrDefault(SigningKeyVariable);
            // Without it a process in distributed mode refuses to start; a token signed by one part must verify in all.
            problems.Check(value is { FromSecret: true, SecretKey: not null }, $"{deployment}: {SigningKeyVariable} is not read from a Secret");
            if (value is { FromSecret: true }) sources.Add((value.SecretName, value.SecretKey));
        }
        problems.Check(sources.Count <= 1, $"the suite reads {SigningKeyVariable} from different Secret keys: {string.Join(", ", sources)}");
        // The overlays take it from the Secret the base names (generated in dev, created by hand in prod).
        problems.Check(sources.All(s => s.Item1 is not null && (s.Item1 == AuthSecret || s.Item1.StartsWith($"{AuthSecret}-", StringComparison.Ordinal)) && s.Item2 == SigningKeySecretKey),
            $"the suite reads {SigningKeyVariable} from {string.Join(", ", sources)}, not Secret {AuthSecret} key {SigningKeySecretKey}");
        // Not in a ConfigMap either, where explicit env would hide it from the check above but not from `kubectl get`.
        foreach (var configMap in rendered.OfKind("ConfigMap"))
            problems.Check(!configMap.Root.Strings("data").ContainsKey(SigningKeyVariable), $"{configMap}: holds {SigningKeyVariable}");
        problems.AssertNone($"The signing key in the {overlay} overlay");
    }

    [Fact]
    public void Prod_reads_the_signing_key_from_the_secret_the_readme_says_to_create()
    {
        // Prod adds nothing to the base's auth settings, so this is the base as written: a reference, no value.
        var rendered = Kustomize.Overlay("prod");
        var problems = new Problems();
        foreach (var deployment in rendered.SuiteDeployments)
        {
            var value = deployment.MainContainer.Environment.GetValueOrDefault(SigningKeyVariable);
            problems.Check(value is { SecretName: AuthSecret, SecretKey: SigningKeySecretKey },
                $"{deployment}: {SigningKeyVariable} is not read from Secret {AuthSecret} key {SigningKeySecretKey}");
        }
        problems.AssertNone("The signing key in the prod overlay");
    }

    [Fact]
    public void Dev_generates_the_secrets_the_suite_reads_with_every_key_it_reads()
    {
        var rendered = Kustomize.Overlay("dev");
        var problems = new Problems();
        foreach (var deployment in rendered.SuiteDeployments)
        {
            foreach (var value in deployment.MainContainer.Environment.Values.Where(v => v.FromSecret))
            {
                var secret = rendered.Find("Secret", value.SecretName!);
                problems.Check(secret is not null, $"{deployment}: Secret '{value.SecretName}' is not in the dev overlay");
                problems.Check(secret?.Root.Text("data", value.SecretKey!) is { Length: > 0 }, $"{deployment}: Secret '{value.SecretName}' has no key '{value.SecretKey}'");
            }
        }
        problems.AssertNone("Dev's Secrets");
    }

    [Fact]
    public void Dev_signing_key_is_long_enough_for_the_suite_to_start()
    {
        var rendered = Kustomize.Overlay("dev");
        var value = rendered.Deployment(GatewayExtensions.Name).MainContainer.Environment[SigningKeyVariable];
        var encoded = rendered.Find("Secret", value.SecretName!)?.Root.Text("data", value.SecretKey!) ?? "";
        var key = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(string.Concat(encoded.Where(c => !char.IsWhiteSpace(c)))));

        Assert.True(key.Length >= AuthOptions.MinimumKeyLength, $"dev's signing key has {key.Length} characters; the suite needs {AuthOptions.MinimumKeyLength}");
        // Whoever reads it must see that it is no secret (it is in the repository).
        Assert.Contains("dev", key, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [ClassData(typeof(Overlays))]
    public void Dev_sign_in_is_on_in_dev_only(string overlay)
    {
        var problems = new Problems();
        foreach (var deployment in Kustomize.Overlay(overlay).SuiteDeployments)
        {
            var value = deployment.MainContainer.Environment.GetValueOrDefault(DevSignInVariable)?.Value;
            // The gateway serves the password-less sign-in (POST /api/auth/dev-sign-in); anywhere but dev it must stay off.
            if (overlay == "dev" && deployment.Name == GatewayExtensions.Name)
                problems.Check(string.Equals(value, "true", StringComparison.OrdinalIgnoreCase), $"{deployment}: {DevSignInVariable} is '{value}', so a developer cannot sign in");
            else if (overlay != "dev")
                problems.Check(value is null || string.Equals(value, "false", StringComparison.OrdinalIgnoreCase), $"{deployment}: {DevSignInVariable} is '{value}'");
        }
        problems.AssertNone($"Dev sign-in in the {overlay} overlay");
    }

    [Fact]
    public void Prod_renders_no_secret_so_credentials_never_live_in_the_repository()
    {
        var secrets = Kustomize.Overlay("prod").OfKind("Secret").Select(s => s.Name).ToList();

        Assert.Empty(secrets);
    }

    [Theory]
    [ClassData(typeof(Overlays))]
    public void Gateway_knows_where_every_service_is_and_holds_only_the_credentials_it_uses(string overlay)
    {
        var rendered = Kustomize.Overlay(overlay);
        var gateway = rendered.Deployment(GatewayExtensions.Name);
        var env = gateway.MainContainer.Environment;
        var problems = new Problems();
        foreach (var service in SuiteServices.Names)
        {
            // Playbooks:Services:engine in configuration is Playbooks__Services__engine in the environment.
            var variable = SuiteServices.AddressKey(service).Replace(":", "__");
            var address = env.GetValueOrDefault(variable)?.Value;
            problems.Check(address is not null && ServiceRoutes.Reaches(rendered, new Uri(address), service),
                $"gateway: {variable} '{address}' does not reach the {service} Deployment");
        }
        // Its own schema (API keys, their audit log) is in the services' database: the same Secret key as theirs.
        var postgres = env.GetValueOrDefault(PostgresVariable);
        var servicesPostgres = rendered.Deployment(SuiteServices.Names[0]).MainContainer.Environment.GetValueOrDefault(PostgresVariable);
        problems.Check(postgres is { FromSecret: true, SecretKey: not null }, $"gateway: {PostgresVariable} is not read from a Secret");
        problems.Check(postgres is not null && servicesPostgres is not null &&
                postgres.SecretName == servicesPostgres.SecretName && postgres.SecretKey == servicesPostgres.SecretKey,
            $"gateway: {PostgresVariable} comes from {postgres?.SecretName}/{postgres?.SecretKey}, the services' from {servicesPostgres?.SecretName}/{servicesPostgres?.SecretKey}");
        // Least privilege: no other credential, Redis's included (the gateway does not use Redis).
        var secrets = env.Where(pair => pair.Value.FromSecret).Select(pair => pair.Key).Order().ToList();
        problems.Check(secrets.SequenceEqual(new[] { PostgresVariable, SigningKeyVariable }.Order()),
            $"gateway: reads {string.Join(", ", secrets)} from Secrets, not exactly {PostgresVariable} and {SigningKeyVariable}");
        problems.AssertNone($"The gateway's routes in the {overlay} overlay");
    }

    [Theory]
    [ClassData(typeof(Overlays))]
    public void Every_suite_image_is_the_one_its_dockerfile_builds(string overlay)
    {
        var problems = new Problems();
        foreach (var deployment in Kustomize.Overlay(overlay).SuiteDeployments)
        {
            var image = deployment.MainContainer.Image;
            var repository = image.Contains(':', StringComparison.Ordinal) ? image[..image.LastIndexOf(':')] : image;
            problems.Check(repository.EndsWith($"playbooks/{deployment.Name}", StringComparison.Ordinal),
                $"{deployment}: image '{image}' is not playbooks/{deployment.Name} (the README's docker build tag)");
            problems.Check(image.Contains(':', StringComparison.Ordinal) && !image.EndsWith(":latest", StringComparison.Ordinal),
                $"{deployment}: image '{image}' has no fixed tag");
        }
        problems.AssertNone($"Images in the {overlay} overlay");
    }
}
