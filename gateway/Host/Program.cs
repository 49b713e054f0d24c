using Playbooks.Gateway;
using Playbooks.ServiceDefaults;
using Playbooks.ServiceDefaults.Hosting;

var builder = ServiceHost.CreateBuilder(args);
builder.AddServiceDefaults(GatewayExtensions.Name);
builder.AddGateway();

var app = builder.Build();
app.MapServiceDefaults();
app.MapGateway();

await app.RunAsync();
