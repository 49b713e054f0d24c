using Playbooks.Messaging;
using Playbooks.ServiceDefaults;
using Playbooks.ServiceDefaults.Hosting;
using Playbooks.Tasks;

var builder = ServiceHost.CreateBuilder(args);
builder.AddServiceDefaults(TasksService.Name);
builder.AddEventBus();
builder.AddTasksService();

var app = builder.Build();
app.MapServiceDefaults();
app.MapTasksService();

await app.RunAsync();
