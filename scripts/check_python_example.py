"""Type-checks a Python example against the jsii-generated package, without aws-cdk-lib installed.

Usage: python3 scripts/check_python_example.py <generated package dir> <example.py>

The generated package (jsii-pacmak --targets python) is read with `ast`, not imported (importing it
needs the Python aws-cdk-lib, which is not on this machine). For every name the example imports
from the package, every call of a class, static method or method whose receiver's type is known
(from a constructor call, a method's return annotation, or a variable holding either), it checks
that the class and member exist (inherited members included) and that the keyword arguments are
parameters of the member; a dict given for a struct parameter is checked key by key against the
struct. Prints one problem per line and exits 1 when there is any.
"""
import ast
import sys
from pathlib import Path

PACKAGE = "sagemaker_cdk_constructs"


def load_classes(package_dir):
    """Every class the generated package defines at module level, by name."""
    classes = {}
    for init in Path(package_dir).rglob("__init__.py"):
        if "build" in init.parts:
            continue
        for node in ast.parse(init.read_text()).body:
            if isinstance(node, ast.ClassDef):
                classes.setdefault(node.name, node)
    return classes


def annotation_name(node):
    """The class name an annotation names ('Foo', Foo, module.Foo)."""
    if node is None:
        return None
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value.strip('"').split(".")[-1]
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def annotation_names(node):
    """Every class name inside an annotation, e.g. both of typing.Union[Foo, typing.Dict[...]]."""
    if node is None:
        return []
    return [name for sub in ast.walk(node) for name in [annotation_name(sub)] if name and isinstance(sub, (ast.Constant, ast.Name))]


class Package:
    def __init__(self, classes):
        self.classes = classes

    def member(self, cls, name):
        """The function `name` of class `cls` or of its bases in the package."""
        seen = set()
        queue = [cls]
        while queue:
            current = queue.pop(0)
            if current in seen or current not in self.classes:
                continue
            seen.add(current)
            node = self.classes[current]
            for item in node.body:
                if isinstance(item, ast.FunctionDef) and item.name == name:
                    return item
            queue.extend(annotation_name(base) for base in node.bases)
        return None

    def parameters(self, function):
        args = function.args
        names = [a.arg for a in args.args + args.kwonlyargs]
        positional = float("inf") if args.vararg else len([a for a in args.args if a.arg not in ("self", "cls")])
        return {n for n in names if n not in ("self", "cls")}, positional, args.kwarg is not None


def check(package_dir, example):
    package = Package(load_classes(package_dir))
    tree = ast.parse(Path(example).read_text())
    problems = []
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == PACKAGE:
            for alias in node.names:
                if alias.name not in package.classes:
                    problems.append(f"line {node.lineno}: {PACKAGE} has no class {alias.name}")
                imported.add(alias.asname or alias.name)
    variables = {}

    def type_of(expr):
        if isinstance(expr, (ast.List, ast.Tuple, ast.Set)):
            for element in expr.elts:
                type_of(element)
            return None
        if isinstance(expr, ast.Dict):
            for value in expr.values:
                type_of(value)
            return None
        if isinstance(expr, ast.Name):
            return variables.get(expr.id)
        if isinstance(expr, ast.Call):
            return check_call(expr)
        if isinstance(expr, ast.Attribute):
            owner = class_ref(expr.value) or type_of(expr.value)
            if owner:
                prop = package.member(owner, expr.attr)
                if prop is None:
                    problems.append(f"line {expr.lineno}: {owner} has no member {expr.attr}")
                    return None
                return annotation_name(prop.returns) if annotation_name(prop.returns) in package.classes else None
        return None

    def class_ref(expr):
        return expr.id if isinstance(expr, ast.Name) and expr.id in imported else None

    def check_struct_dict(value, structs, lineno):
        candidates = [name for name in structs if name in package.classes]
        if not isinstance(value, ast.Dict) or not candidates:
            return
        struct = candidates[0]
        init = package.member(struct, "__init__")
        allowed, _, _ = package.parameters(init)
        for key in value.keys:
            if isinstance(key, ast.Constant) and key.value not in allowed:
                problems.append(f"line {lineno}: struct {struct} has no field {key.value}")

    def check_call(call):
        func = call.func
        for arg in call.args:
            type_of(arg)
        if isinstance(func, ast.Name) and func.id in imported:
            owner, function, returns = func.id, package.member(func.id, "__init__"), func.id
        elif isinstance(func, ast.Attribute):
            owner = class_ref(func.value) or type_of(func.value)
            if not owner:
                for keyword in call.keywords:
                    type_of(keyword.value)
                return None
            function = package.member(owner, func.attr)
            if function is None:
                problems.append(f"line {call.lineno}: {owner} has no method {func.attr}")
                return None
            returns = annotation_name(function.returns)
        else:
            return None
        if function is None:
            problems.append(f"line {call.lineno}: {owner} has no constructor")
            return None
        allowed, positional, has_kwargs = package.parameters(function)
        if len(call.args) > positional:
            problems.append(f"line {call.lineno}: {owner}.{function.name} takes {positional} positional arguments, not {len(call.args)}")
        annotations = {a.arg: a.annotation for a in function.args.args + function.args.kwonlyargs}
        for keyword in call.keywords:
            if keyword.arg not in allowed and not has_kwargs:
                problems.append(f"line {call.lineno}: {owner}.{function.name} has no parameter {keyword.arg}")
            check_struct_dict(keyword.value, annotation_names(annotations.get(keyword.arg)), call.lineno)
            type_of(keyword.value)
        return returns if returns in package.classes else None

    for statement in tree.body:
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1 and isinstance(statement.targets[0], ast.Name):
            variables[statement.targets[0].id] = type_of(statement.value)
        elif isinstance(statement, ast.Expr):
            type_of(statement.value)
    return problems


if __name__ == "__main__":
    found = check(sys.argv[1], sys.argv[2])
    for problem in found:
        print(problem)
    sys.exit(1 if found else 0)
