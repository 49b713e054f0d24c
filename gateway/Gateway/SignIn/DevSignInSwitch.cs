using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using Playbooks.ServiceDefaults.Hosting;
using Playbooks.ServiceDefaults.Security;

namespace Playbooks.Gateway.SignIn;

/// <summary>
/// Whether the password-less dev sign-in is on: as configured, or else only for an embedded suite that listens on
/// loopback alone — a suite reachable from the network must not hand out admin tokens to whoever asks.
/// </summary>
internal sealed class DevSignInSwitch(AuthOptions auth, IOptions<PlaybooksOptions> playbooks, IServer server)
{
    public bool IsOn => auth.DevSignIn ?? (playbooks.Value.Mode == RunMode.Embedded && ListensOnLoopbackOnly());

    private bool ListensOnLoopbackOnly() =>
        server.Features.Get<IServerAddressesFeature>()?.Addresses is { Count: > 0 } addresses && addresses.All(IsLoopback);

    private static bool IsLoopback(string address)
    {
        var host = address.Split("://", 2)[^1].Split('/')[0];
        host = host.StartsWith('[') ? host[1..host.IndexOf(']')] : host.Split(':')[0];
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
    }
}
