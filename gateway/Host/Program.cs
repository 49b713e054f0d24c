using Playbooks.Gateway;
using Playbooks.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(GatewayExtensions.Name);
builder.AddGateway();

var app = builder.Build();
app.MapServiceDefaults();
app.MapGateway();

await app.RunAsync();
