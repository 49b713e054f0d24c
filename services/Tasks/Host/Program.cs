using Playbooks.Messaging;
using Playbooks.ServiceDefaults;
using Playbooks.Tasks;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(TasksService.Name);
builder.AddEventBus();
builder.AddTasksService();

var app = builder.Build();
app.MapServiceDefaults();
app.MapTasksService();

await app.RunAsync();
